import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../server/config.js';
import { startMock } from '../../server/testing/startMock.js';
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

describe('README Node SDK snippet', () => {
  it('runs as the file it says it is, against a mock, and ends as its last comment says', async () => {
    const snippet = /## Use it from the official Node SDK\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const fileName = /^\/\/ (\S+\.m?js):/.exec(snippet)?.[1] ?? 'app.js';
    const mock = await startMock();
    const dir = await mkdtemp(path.join(tmpdir(), 'apm-readme-sdk-'));
    try {
      expect(snippet).toContain("overrideServiceUrl: '127.0.0.1:8443'");
      const check = [
        "if (done.status !== 200 || done.data.statusDetails.state !== 'Completed' || !done.data.chargePermissionId || !done.data.chargeId)",
        "  throw new Error('unexpected answer: ' + JSON.stringify({ status: done.status, data: done.data }));",
        "console.log('README snippet: ok');",
      ].join('\n');
      await writeFile(path.join(dir, fileName), `${snippet.replace("'127.0.0.1:8443'", `'${mock.overrideServiceUrl}'`)}\n${check}\n`);
      // As in a project that installed the SDK; run from the package root, where fixtures/keys is.
      await symlink(packagePath('node_modules'), path.join(dir, 'node_modules'), 'dir');
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, fileName)], { cwd: packagePath('.'), timeout: 30_000 });
      expect(stdout).toContain('README snippet: ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await mock.close();
    }
  });
});
