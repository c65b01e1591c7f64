import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The folder rules of the server, checked on the import statements of its sources (type-only
 * imports count: they tie the files together just the same):
 * - `domain/` is pure and self-contained: it imports nothing outside `domain/`, no package either;
 * - the emulated API (`api/`), the control API (`admin/`) and the hosted pages (`pages/`) are
 *   siblings: none of them imports another;
 * - no file reaches itself through its imports;
 * - `domain/` reads no time and draws no randomness itself: "now" comes in as a number, ids from an
 *   IdGenerator it is given (the clock lives in `clock/`, the generator in `ids/`).
 */
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, `import('…')` types and calls. */
export function specifiersOf(text: string): string[] {
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1]!);
}

interface Edge {
  from: string;
  /** A path relative to server/ for our own files, else the package name as written. */
  to: string;
  local: boolean;
}

const rel = (file: string) => path.relative(serverDir, file).split(path.sep).join('/');

const edges: Edge[] = sources(serverDir).flatMap((file) =>
  specifiersOf(readFileSync(file, 'utf8')).map((spec) => {
    if (!spec.startsWith('.')) return { from: rel(file), to: spec, local: false };
    return { from: rel(file), to: rel(path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts'), local: true };
  }),
);

const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : '.');

/** Every import cycle, each as the files in order (the first repeated at the end), found by depth-first search. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** What reads the time or draws randomness (in code, not in comments). */
const timeOrRandomness = [/\bDate\.now\b/, /\bnew Date\(\s*\)/, /\bperformance\.now\b/, /\bprocess\.hrtime\b/, /\bMath\.random\b/, /\brandom(Bytes|UUID|Int|Fill)\b/, /\bgetRandomValues\b/];

/** The lines of `text` that read the time or draw randomness, comments left out. */
export function timeOrRandomnessIn(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return code.split('\n').filter((line) => timeOrRandomness.some((pattern) => pattern.test(line))).map((line) => line.trim());
}

/** Classes declared in `text` (a domain that only receives its clock and ids declares none of theirs). */
const classesIn = (text: string) => [...text.matchAll(/^\s*export\s+class\s+(\w+)/gm)].map((m) => m[1]!);

describe('server architecture', () => {
  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.from.startsWith('domain/') && e.local).length).toBeGreaterThan(50);
    expect(specifiersOf("import type { A } from './a.js';\nexport * from './b.js';\nimport './c.js';\nlet x: import('./d.js').D;")).toEqual(['./a.js', './b.js', './c.js', './d.js']);
  });

  it('keeps domain/ free of anything outside it', () => {
    const outside = edges.filter((e) => e.from.startsWith('domain/') && (!e.local || !e.to.startsWith('domain/')));
    expect(outside.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('keeps domain/ from reading the time or drawing randomness, and from implementing a clock or an id generator', () => {
    const domainFiles = sources(path.join(serverDir, 'domain'));
    const found = domainFiles.flatMap((file) => timeOrRandomnessIn(readFileSync(file, 'utf8')).map((line) => `${rel(file)}: ${line}`));
    expect(found).toEqual([]);
    const implementations = domainFiles.flatMap((file) => classesIn(readFileSync(file, 'utf8')).filter((name) => /Clock|Id(s|Generator)\b/.test(name)).map((name) => `${rel(file)}: ${name}`));
    expect(implementations).toEqual([]);
  });

  it('spots the time and randomness it looks for, in code only', () => {
    expect(timeOrRandomnessIn('const a = Date.now();\nconst b = new Date();\nconst c = crypto.randomBytes(4);\nconst d = new Date(ms);')).toEqual(['const a = Date.now();', 'const b = new Date();', 'const c = crypto.randomBytes(4);']);
    expect(timeOrRandomnessIn('// Date.now() is never read here\n/** nor Math.random */\nconst url = "https://x";')).toEqual([]);
    expect(classesIn('export class ControlledClock {}\nexport class RandomIdGenerator {}')).toEqual(['ControlledClock', 'RandomIdGenerator']);
  });

  it('keeps api/, admin/ and pages/ from importing each other', () => {
    const siblings = new Set(['api', 'admin', 'pages']);
    const crossing = edges.filter((e) => e.local && siblings.has(folderOf(e.from)) && siblings.has(folderOf(e.to)) && folderOf(e.from) !== folderOf(e.to));
    expect(crossing.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('has no import loops', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (e.local) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    expect(cyclesOf(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('detects a loop, and none in a tree', () => {
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cyclesOf(new Map([['a', ['b', 'c']], ['b', ['c']]]))).toEqual([]);
  });
});
