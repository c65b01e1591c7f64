/**
 * `node dist/scripts/bundle.js [outDir]` (the second half of `npm run build`): rewrites
 * `<outDir>/server/main.js`, the process entry tsc compiled, as one file holding every module of
 * the server it imports. Packages stay outside (imported from node_modules as before).
 *
 * Why: Node 20 resolves, reads, compiles and links each ES module on its own, and a start imports
 * about 200 of the server's; as separate files they cost ~80 ms of CPU per start, bundled ~10 ms
 * (measured with `node --cpu-prof`; see the README's Benchmark section). Only the entry is bundled:
 * the package's `exports` (dist/server/index.js) stay tsc's modules, and a build without this step
 * still starts, only slower.
 */
import { build } from 'esbuild';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './lib/cli.js';

const usage = 'Usage: node dist/scripts/bundle.js [outDir]   (default: dist; run after tsc)';

/** Bundles `<outDir>/server/main.js` in place, with a source map that leads back to the TypeScript. */
async function bundleEntry(outDir: string): Promise<void> {
  const entry = path.resolve(outDir, 'server', 'main.js');
  // Written next to the entry, then renamed over it: a failed bundle leaves tsc's output in place.
  const staging = `${entry}.${process.pid}.tmp.js`;
  try {
    await build({ entryPoints: [entry], outfile: staging, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning' });
    const code = await readFile(staging, 'utf8');
    await writeFile(staging, code.replace(`//# sourceMappingURL=${path.basename(staging)}.map`, `//# sourceMappingURL=${path.basename(entry)}.map`));
    await rename(`${staging}.map`, `${entry}.map`);
    await rename(staging, entry);
  } finally {
    await rm(staging, { force: true });
    await rm(`${staging}.map`, { force: true });
  }
}

try {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) throw new UsageError(`unexpected arguments: ${args.join(' ')}`);
  await bundleEntry(args[0] ?? 'dist');
} catch (err) {
  process.stderr.write(err instanceof UsageError ? `${err.message}\n\n${usage}\n` : `bundle: ${(err as Error).message}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
