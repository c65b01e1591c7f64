/** A command-line mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Runs a script's main: a UsageError or a node:util parseArgs error prints the message and the
 * usage (exit 2); anything else a one-line message (exit 1), not a stack trace.
 */
export function runCli(usage: string, main: () => void): void {
  try {
    main();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}
