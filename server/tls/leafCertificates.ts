import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import { amazonHosts } from '../domain/amazonHosts.js';
import type { CertificateAuthority } from './certificateAuthority.js';
import { newKeyPem } from './certificateAuthority.js';
import { buildCertificate } from './certificateBuilder.js';
import { nameId } from './certificate.js';

/** Leaves live for one process; 397 days stays inside every client's limit for server certificates. */
export const leafValidityDays = 397;

/** A leaf certificate issued by the local CA, ready to serve. */
export interface Leaf {
  certPem: string;
  names: readonly string[];
  context: SecureContext;
}

/**
 * Server certificates issued by the local CA on demand, one per TLS name, cached for the process.
 * `defaultNames` (loopback names plus --tls-names) are covered by the default leaf, served when a
 * client sends no SNI (IP addresses) or a name the mock does not serve; every Amazon host and every
 * default name also gets a leaf of its own when a client asks for it by SNI.
 */
export class LeafCertificates {
  private readonly cache = new Map<string, Leaf>();
  private readonly served = new Map<string, string>();
  #defaultLeaf: Leaf | null = null;

  private readonly ca: CertificateAuthority;
  private readonly keyPem: string;
  private readonly publicKey: KeyObject;
  readonly defaultNames: readonly string[];
  private readonly now: () => Date;

  private constructor(parts: { ca: CertificateAuthority; keyPem: string; defaultNames: readonly string[]; now: () => Date }) {
    const { ca, keyPem, defaultNames, now } = parts;
    this.ca = ca;
    this.keyPem = keyPem;
    this.publicKey = createPublicKey(createPrivateKey(keyPem));
    this.defaultNames = defaultNames;
    this.now = now;
    for (const name of [...defaultNames, ...Object.keys(amazonHosts)]) this.served.set(nameId(name), name);
  }

  /** The leaf for clients that send no SNI, issued on first use (with HTTPS off only the proxy issues leaves, by name). */
  get defaultLeaf(): Leaf {
    return (this.#defaultLeaf ??= this.issue(this.defaultNames));
  }

  /** One key for every leaf of this process (given, or generated off the main thread). */
  static async create(ca: CertificateAuthority, defaultNames: readonly string[], options: { key?: Promise<string>; now?: () => Date } = {}): Promise<LeafCertificates> {
    return new LeafCertificates({ ca, keyPem: await (options.key ?? newKeyPem()), defaultNames, now: options.now ?? (() => new Date()) });
  }

  /** The private key of every leaf (PKCS#8 PEM). */
  get key(): string {
    return this.keyPem;
  }

  /** The names this mock serves over TLS, as configured (default names first, then the Amazon hosts). */
  get names(): string[] {
    return [...this.served.values()];
  }

  /** The name as served, when the mock serves it (case and IPv6 spelling normalised), else null. */
  servedName(name: string): string | null {
    const clean = name.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
    if (clean === '') return null;
    try {
      return this.served.get(nameId(clean)) ?? null;
    } catch {
      return null;
    }
  }

  /** The leaf for one served name, issued on first use; null for a name the mock does not serve. */
  leafFor(name: string): Leaf | null {
    const served = this.servedName(name);
    if (served === null) return null;
    let leaf = this.cache.get(served);
    if (!leaf) {
      leaf = this.issue([served]);
      this.cache.set(served, leaf);
    }
    return leaf;
  }

  private issue(names: readonly string[]): Leaf {
    const certPem = buildCertificate({
      publicKey: this.publicKey,
      subject: [
        { name: 'commonName', value: names[0]!.slice(0, 64) },
        { name: 'organizationName', value: 'amazon-pay-mock (local test double, not Amazon)' },
      ],
      issuer: { certPem: this.ca.certPem, key: this.ca.key },
      validityDays: leafValidityDays,
      now: this.now(),
      ca: false,
      // An RSA key (kept from an older version's data dir) may also encipher the TLS 1.2 RSA key exchange; an EC key only signs.
      keyUsage: this.publicKey.asymmetricKeyType === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'],
      serverNames: names,
    });
    // The chain includes the CA so clients that were given only the CA still build the path.
    return { certPem, names, context: createSecureContext({ cert: `${certPem}${this.ca.certPem}`, key: this.keyPem }) };
  }
}
