/** Request headers as Node's `IncomingMessage.headers` holds them: lower-case names. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * The value of one header, looked up case-insensitively. Repeated values (only set-cookie arrives
 * as an array in Node) are joined with "," the way the Java and .NET signers join them.
 */
export function headerText(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
