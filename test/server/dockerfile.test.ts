import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// No Docker engine in CI: check what can be checked from the text of the Dockerfile.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with comments dropped and backslash continuations joined. */
function parse(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    // Comments are dropped, inside a continuation too.
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  return logical.map((l) => {
    const m = /^(\S+)\s*(.*)$/.exec(l)!;
    return { op: m[1]!.toUpperCase(), args: m[2]! };
  });
}

const instructions = parse(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const stages: Array<{ from: string; name: string | null; body: Instruction[] }> = [];
for (const ins of instructions) {
  if (ins.op === 'FROM') {
    const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
    stages.push({ from: m[1]!, name: m[2] ?? null, body: [] });
  } else if (stages.length > 0) stages.at(-1)!.body.push(ins);
}
const build = stages[0]!;
const runtime = stages.at(-1)!;
const last = (stage: typeof runtime, op: string) => stage.body.filter((i) => i.op === op).at(-1);

/** Sources of every COPY/ADD: [stage it copies from or null for the context, path]. */
const copies = stages.flatMap((stage) =>
  stage.body
    .filter((i) => i.op === 'COPY' || i.op === 'ADD')
    .flatMap((i) => {
      const words = i.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--'));
      return paths.slice(0, -1).map((source) => ({ stage: stage.name, from, source }));
    }),
);

// Outputs of the build stage that are not in the repository.
const buildOutputs = new Set(['dist', 'node_modules']);

/** A file, or a directory with at least one file somewhere below (git does not keep empty ones, so a clone would lack it). */
function hasContent(p: string): boolean {
  if (!existsSync(p)) return false;
  if (!statSync(p).isDirectory()) return true;
  return readdirSync(p).some((entry) => hasContent(path.join(p, entry)));
}
const dockerignore = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('builds in a node:20-bookworm-slim stage and runs in a fresh one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.from).toBe('node:20-bookworm-slim');
    expect(runtime.from).toBe('node:20-bookworm-slim');
    expect(build.name).toBeTruthy();
    const runs = build.body.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev\b/);
    expect(runtime.body.some((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args))).toBe(false);
  });

  it('runs as a non-root user', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    expect(user!.args).toBe('node');
  });

  it('listens on all interfaces, keeps data in a volume and exposes both ports', () => {
    const env = runtime.body.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/AMAZON_PAY_MOCK_HOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/AMAZON_PAY_MOCK_DATA_DIR=\/data\b/);
    expect(last(runtime, 'VOLUME')?.args).toMatch(/\/data/);
    const exposed = runtime.body.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(['8080', '8443']));
  });

  it('has a HEALTHCHECK that uses node against the HTTP health route', () => {
    const hc = last(runtime, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    const cmd = /\bCMD\s+(\[.*\])\s*$/.exec(hc!.args);
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/__admin/health');
    expect(argv.join(' ')).toContain('8080');
    expect(argv.join(' ')).not.toMatch(/\b(curl|wget)\b/);
  });

  it('starts node directly in exec form, on the compiled entry point', () => {
    const cmd = last(runtime, 'CMD');
    expect(cmd).toBeDefined();
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv).toEqual(['node', 'dist/server/main.js']);
    expect(runtime.body.some((i) => i.op === 'ENTRYPOINT')).toBe(false);
    // dist/server/main.js is what `npm run build` makes of server/main.ts (tsc, then one bundled file).
    expect(existsSync(path.join(root, 'server', 'main.ts'))).toBe(true);
    const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
  });

  it('ignores local builds, dependencies, data and git history in the build context', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git']));
  });

  describe('every COPY source exists in the repository or is a build output', () => {
    const workdir = (build.body.find((i) => i.op === 'WORKDIR')?.args ?? '/').replace(/\/?$/, '/');
    for (const { from, source } of copies) {
      // Paths copied out of the build stage are relative to its WORKDIR, which mirrors the repo.
      const rel = from === null ? source : source.startsWith(workdir) ? source.slice(workdir.length) : source;
      const top = rel.replace(/^\.\//, '').split('/')[0]!;
      it(`${from ? `--from=${from} ` : ''}${source}`, () => {
        if (from !== null) {
          expect(stages.map((s) => s.name)).toContain(from);
          expect(source.startsWith(workdir), `${source} is outside ${workdir}`).toBe(true);
        }
        if (rel === '.' || rel === './') return;
        if (from !== null && buildOutputs.has(top)) return;
        expect(hasContent(path.join(root, rel)), `${rel} is not in the repository (or is an empty directory)`).toBe(true);
        expect(dockerignore, `${rel} is excluded by .dockerignore`).not.toContain(top);
      });
    }
  });

  it('installs without lifecycle scripts before the sources are copied (prepare would build nothing)', () => {
    const install = build.body.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    const copySources = build.body.findIndex((i) => i.op === 'COPY' && /^\.\s+\.$/.test(i.args));
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(copySources);
    expect(build.body[install]!.args).toContain('--ignore-scripts');
  });
});
