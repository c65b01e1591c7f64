import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../server/config.js';
import { configTable, documentedRulesTable, reasonCodeTable, simulationTable } from '../../server/docs/referenceTables.js';

const readme = readFileSync(packagePath('README.md'), 'utf8');

function section(marker: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)\\n<!-- /${marker} -->`).exec(readme);
  if (!m) throw new Error(`README has no ${marker} section`);
  return m[1]!;
}

describe('README', () => {
  it('starts with the install-and-start command and the test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it('has a row for every configuration option, as generated from the option table', () => {
    expect(section('config-table')).toBe(configTable());
  });

  it('lists the whole reason-code catalog, as generated from it', () => {
    expect(section('reason-codes')).toBe(reasonCodeTable());
  });

  it('lists every sandbox simulation code, as generated from the table', () => {
    expect(section('simulation-codes')).toBe(simulationTable());
  });

  it('states the documented retention, closing and monthly-limit rules with the numbers the domain uses', () => {
    expect(section('documented-rules')).toBe(documentedRulesTable());
  });

  it('has no placeholder left', () => {
    expect(readme).not.toMatch(/BENCH_TABLE|CHOICES|CONFIG_TABLE|REASON_TABLE|TODO/);
  });
});

describe('README example', () => {
  it('is the runnable test/client/readmeExample.test.ts, word for word', () => {
    const file = readFileSync(packagePath('test/client/readmeExample.test.ts'), 'utf8').split('\n').slice(1).join('\n').trim();
    const shown = /<!-- example -->\n```ts\n([\s\S]*?)\n```\n<!-- \/example -->/.exec(readme)![1]!.trim();
    expect(shown).toBe(file);
  });
});
