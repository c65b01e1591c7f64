import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.js';

/** Where the local CA and the trust bundle live under the data dir. */
export function tlsPaths(dataDir: string): { dir: string; caCert: string; caKey: string; bundle: string; leafKey: string } {
  const dir = path.resolve(dataDir, 'tls');
  return {
    dir,
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca-key.pem'),
    bundle: path.join(dir, 'ca-bundle.pem'),
    leafKey: path.join(dir, 'leaf-key.pem'),
  };
}

const permissionCodes = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A file of the data dir, named with the dir it belongs to (the dir is what a permission error is about). */
export interface DataFile {
  dataDir: string;
  file: string;
}

/**
 * A start-up error for a data dir this process cannot use (typically created by an earlier run
 * as root): says which file, why, and the two ways out.
 */
export function dataDirError({ dataDir, file }: DataFile, err: unknown, doing: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code || !permissionCodes.has(code)) return err as Error;
  const uid = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
  return new ConfigError(
    `cannot ${doing} ${file}: ${code}. The data dir ${path.resolve(dataDir)} is not usable by this user${uid}; ` +
      `was it created by a run as root? Give it back (chown -R "$(id -u):$(id -g)" ${path.resolve(dataDir)}) or choose another with --data-dir (AMAZON_PAY_MOCK_DATA_DIR)`,
    { cause: err },
  );
}

/** Reads a file, or null when it does not exist; permission problems become a dataDirError. */
export async function readIfPresent(dataDir: string, file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw dataDirError({ dataDir, file }, err, 'read');
  }
}

/**
 * The tls dir is 0755: an application container running as another uid on the same data volume
 * must read ca.pem (and ca-bundle.pem) to trust the intercepting proxy. The private keys in it
 * stay 0600, so opening the dir discloses nothing secret.
 */
const TLS_DIR_MODE = 0o755;
const KEY_FILE_MODE = 0o600;

/** Creates `<dataDir>/tls` (mode 0755 when new, whatever the umask); permission problems become a dataDirError. */
export async function ensureTlsDir(dataDir: string): Promise<void> {
  const dir = tlsPaths(dataDir).dir;
  try {
    const created = await mkdir(dir, { recursive: true, mode: TLS_DIR_MODE });
    if (created !== undefined) await chmod(dir, TLS_DIR_MODE);
  } catch (err) {
    throw dataDirError({ dataDir, file: dir }, err, 'create');
  }
}

/** Whether this process owns a file it has just lstat-ed (never on a platform without uids). */
function ownedHere(uid: number): boolean {
  return typeof process.getuid === 'function' && process.getuid() === uid;
}

/**
 * At start: opens a tls dir that an older version made 0700 to 0755 (so other uids can read
 * ca.pem), and takes group and world access away from key files that have it. Only what this
 * process owns is touched, and a refusal is no reason not to start: the files stay as they were.
 */
export async function settleTlsModes(dataDir: string): Promise<void> {
  const paths = tlsPaths(dataDir);
  const dir = await lstat(paths.dir).catch(() => null);
  if (!dir?.isDirectory() || !ownedHere(dir.uid)) return;
  if ((dir.mode & 0o777) === 0o700) await chmod(paths.dir, TLS_DIR_MODE).catch(() => undefined);
  for (const file of [paths.caKey, paths.leafKey]) {
    const key = await lstat(file).catch(() => null);
    if (key?.isFile() && ownedHere(key.uid) && (key.mode & 0o077) !== 0) await chmod(file, KEY_FILE_MODE).catch(() => undefined);
  }
}

/** Writes through a fresh temp file (given `mode`, whatever the umask) and renames it over `file`. */
export async function writeAtomically(target: DataFile, text: string, mode: number): Promise<void> {
  const { file } = target;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    // A restrictive umask (077 in some images) would otherwise make ca.pem unreadable to other uids.
    await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw dataDirError(target, err, 'write');
  }
}
