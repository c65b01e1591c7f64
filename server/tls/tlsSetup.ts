import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { Config } from '../config.js';
import { loadOrCreateAuthority, loadOrCreateLeafKey, type CertificateAuthority } from './certificateAuthority.js';
import { certificateNames, loadConfiguredCertificate } from './certificate.js';
import { LeafCertificates } from './leafCertificates.js';
import { settleTlsModes } from './tlsFiles.js';

/** What the HTTPS listener serves, for the start-up summary (no private key). */
export interface ServedCertificate {
  /** `ca`: leaves issued by the local CA per SNI name; `configured`: --tls-cert/--tls-key. */
  source: 'ca' | 'configured';
  /** The file to trust: the CA (`ca`) or the configured certificate. */
  file: string;
  /** Names covered without SNI (the default leaf); null for a configured certificate. */
  names: string[] | null;
}

/** Everything TLS: the local CA, its leaves (HTTPS listener and intercepting proxy) and the listener's options. */
export interface TlsSetup {
  ca: CertificateAuthority;
  leaves: LeafCertificates;
  /** Options for https.createServer: the configured pair, or the default leaf plus SNI. */
  listenerOptions: TlsOptions;
  served: ServedCertificate;
}

/**
 * Loads or creates the CA in the data dir and prepares the leaves. `onUnknownName` hears about
 * handshakes for a name the mock does not serve (they get the default leaf, whose names the
 * client's error message then lists).
 */
export async function prepareTls(config: Config, onUnknownName: (name: string) => void = () => undefined): Promise<TlsSetup> {
  const names = certificateNames(config);
  await settleTlsModes(config.dataDir);
  const configured = config.tlsCert !== null || config.tlsKey !== null ? await loadConfiguredCertificate(config) : null;
  // The leaf key is read (or generated) while the CA is read or made.
  const leafKey = loadOrCreateLeafKey(config.dataDir);
  leafKey.catch(() => undefined);
  const ca = await loadOrCreateAuthority(config.dataDir);
  const leaves = await LeafCertificates.create(ca, names, { key: leafKey });
  if (configured) {
    return { ca, leaves, listenerOptions: { cert: configured.cert, key: configured.key }, served: { source: 'configured', file: configured.file, names: null } };
  }
  // Built on first use: with HTTPS off nothing reads it, and the default leaf is never issued.
  let listenerOptions: TlsOptions | null = null;
  const optionsFor = (): TlsOptions => {
    const defaultOptions: SecureContextOptions = { cert: `${leaves.defaultLeaf.certPem}${ca.certPem}`, key: leaves.key };
    return {
      ...defaultOptions,
      SNICallback: (servername, done) => {
        try {
          const leaf = leaves.leafFor(servername);
          if (leaf === null) onUnknownName(servername);
          done(null, (leaf ?? leaves.defaultLeaf).context);
        } catch (err) {
          done(err as Error, undefined);
        }
      },
    };
  };
  return {
    ca,
    leaves,
    get listenerOptions() {
      return (listenerOptions ??= optionsFor());
    },
    served: { source: 'ca', file: ca.file, names },
  };
}
