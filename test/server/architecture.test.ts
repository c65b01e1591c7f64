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
 * - no file reaches itself through its imports.
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

describe('server architecture', () => {
  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.from.startsWith('domain/') && e.local).length).toBeGreaterThan(50);
    expect(specifiersOf("import type { A } from './a.js';\nexport * from './b.js';\nimport './c.js';\nlet x: import('./d.js').D;")).toEqual(['./a.js', './b.js', './c.js', './d.js']);
  });

  it('keeps domain/ free of anything outside it', () => {
    const outside = edges.filter((e) => e.from.startsWith('domain/') && (!e.local || !e.to.startsWith('domain/')));
    expect(outside.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
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
