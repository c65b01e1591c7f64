import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** Creates `<dataDir>/tls` (mode 0700 when new); permission problems become a dataDirError. */
export async function ensureTlsDir(dataDir: string): Promise<void> {
  const dir = tlsPaths(dataDir).dir;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw dataDirError({ dataDir, file: dir }, err, 'create');
  }
}

/** Writes through a fresh temp file (created with `mode`) and renames it over `file`. */
export async function writeAtomically(target: DataFile, text: string, mode: number): Promise<void> {
  const { file } = target;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw dataDirError(target, err, 'write');
  }
}
