/** Request headers as Node's `IncomingMessage.headers` holds them: lower-case names. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * The value of one header, looked up case-insensitively; undefined when it was not sent. Node
 * itself joins the values of most repeated headers with ", "; set-cookie alone arrives as an array,
 * joined here with "," the way the Java and .NET signers join them. Only a string or an array counts: Node's headers object inherits from
 * Object.prototype, so a name a client chose (SignedHeaders) such as 'constructor' or '__proto__'
 * would otherwise find a function or an object.
 * Node's header names are lower case, and so are most names asked for: those are found without
 * lower-casing the name (a signed request looks up a dozen, each lower-cased up to three times).
 */
export function headerText(headers: IncomingHeaders, name: string): string | undefined {
  let value: unknown = headers[name];
  // Not `??`: a name such as 'toString' finds an inherited function, and its header is under 'tostring'.
  if (typeof value !== 'string' && !Array.isArray(value)) value = headers[name.toLowerCase()];
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(',') : undefined;
}
