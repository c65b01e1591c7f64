/**
 * A line worth logging at start-up (keys loaded, scenario files read), with its level: what the
 * user asked for and did not get (a directory that cannot be read, a file skipped) is a warning,
 * so `--log-level warn` still shows it.
 */
export interface StartupNote {
  level: 'info' | 'warn';
  message: string;
}

export const info = (message: string): StartupNote => ({ level: 'info', message });
export const warn = (message: string): StartupNote => ({ level: 'warn', message });
