import { options } from '../config.js';
import { reasonCodes } from '../domain/reasonCodes.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README's configuration table, generated from the one option table. */
export function configTable(): string {
  const rows = options.map((o) => `| \`${o.key}\` | \`${o.flag}\` | \`${o.env}\` | \`${JSON.stringify(o.default)}\` | ${cell(o.description)} |`);
  return ['| option | flag | environment variable | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const sourceLabel = { doc: 'Amazon docs', '2nd': 'secondary sources', obs: 'observed responses', unconfirmed: 'unconfirmed', mock: 'emulator only' } as const;

/** The README's reason-code table, generated from the one catalog. */
export function reasonCodeTable(): string {
  const rows = Object.entries(reasonCodes).map(([code, e]) => `| ${e.status} | \`${code}\` | ${cell(e.message)} | ${sourceLabel[e.source]} |`);
  return ['| HTTP | reasonCode | default message | status taken from |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
