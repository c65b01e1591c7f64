import { eachLine, type LineTail } from './lineReader.js';
import { isCollection } from './encoding.js';
import type { Collection } from './store.js';

/** The format the first versions wrote: one pretty-printed lowdb JSON document. */
export const legacySnapshotFormat = 'amazon-pay-mock/store@1';

/** One record of a legacy snapshot. */
export interface LegacyRecord {
  ns: string;
  collection: Collection;
  id: string;
  value: unknown;
}

const KEY = /^"((?:[^"\\]|\\.)*)":\s?(.*)$/;

function keyAndRest(line: string, where: () => string): [string, string] {
  const match = KEY.exec(line.trimStart());
  if (!match) throw new Error(`unexpected ${JSON.stringify(line.slice(0, 80))} at ${where()}`);
  return [JSON.parse(`"${match[1]}"`) as string, match[2]!];
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const withoutComma = (text: string) => (text.endsWith(',') ? text.slice(0, -1) : text);

/**
 * Reads a legacy snapshot line by line, never as one string, so files past V8's string limit
 * (which the first versions wrote but could not read back) convert too. It relies on the layout
 * those versions wrote: two spaces of indentation per level, records at the fifth level.
 */
export async function readLegacySnapshot(
  file: string,
  onRecord: (record: LegacyRecord) => void,
  onDue: (ns: string, collection: Collection, id: string, dueAt: number) => void,
): Promise<{ logGeneration: number }> {
  let lineNo = 0;
  const where = () => `${file} line ${lineNo}`;
  let section: 'top' | 'namespaces' | 'due' | 'other' = 'top';
  let format: unknown;
  let logGeneration: unknown;
  let ns: string | null = null;
  let collection: Collection | null = null;
  let record: { id: string; text: string[] } | null = null;
  let due: string[] | null = null;
  /** The document's closing brace was read: a file cut short anywhere before it lacks it. */
  let ended = false;

  const finishRecord = () => {
    const value = JSON.parse(withoutComma(record!.text.join('\n')));
    if (value !== null) onRecord({ ns: ns!, collection: collection!, id: record!.id, value });
    record = null;
  };

  const onLine = (line: string) => {
    lineNo++;
    if (lineNo === 1) {
      if (line !== '{') throw new Error(`${where()}: not a legacy snapshot`);
      return;
    }
    if (ended) {
      if (line.trim() !== '') throw new Error(`${where()}: text after the end of the document`);
      return;
    }
    if (line === '}') {
      ended = true;
      return;
    }
    const indent = indentOf(line);
    if (record !== null) {
      (record as { text: string[] }).text.push(line.slice(8));
      if (indent === 8 && /^[}\]]/.test(line.trimStart())) finishRecord();
      return;
    }
    if (due !== null) {
      due.push(line);
      if (indent === 4) {
        const entry = JSON.parse(withoutComma(due.join('\n'))) as { ns?: unknown; collection?: unknown; id?: unknown; dueAt?: unknown };
        if (typeof entry.ns !== 'string' || !isCollection(entry.collection) || typeof entry.id !== 'string' || typeof entry.dueAt !== 'number') {
          throw new Error(`bad "due" entry before ${where()}`);
        }
        onDue(entry.ns, entry.collection, entry.id, entry.dueAt);
        due = null;
      }
      return;
    }
    if (indent === 2) {
      if (!line.trimStart().startsWith('"')) {
        section = 'top'; // the closing brace of a section
        return;
      }
      const [key, rest] = keyAndRest(line, where);
      if (key === 'namespaces') section = rest.startsWith('{}') ? 'top' : 'namespaces';
      else if (key === 'due') section = rest.startsWith('[]') ? 'top' : 'due';
      else {
        section = 'top';
        if (key === 'format') format = JSON.parse(withoutComma(rest));
        if (key === 'logGeneration') logGeneration = JSON.parse(withoutComma(rest));
      }
      return;
    }
    if (section === 'namespaces') {
      if (indent === 4 && line.trimStart().startsWith('"')) {
        ns = keyAndRest(line, where)[0];
        if (ns === '') throw new Error(`an empty namespace name at ${where()}`);
      } else if (indent === 6 && line.trimStart().startsWith('"')) {
        const [name] = keyAndRest(line, where);
        if (!isCollection(name)) throw new Error(`unknown collection ${JSON.stringify(name)} at ${where()}`);
        collection = name;
      } else if (indent === 8 && line.trimStart().startsWith('"')) {
        const [id, rest] = keyAndRest(line, where);
        record = { id, text: [rest] };
        if (!/[{[]$/.test(rest)) finishRecord();
      }
      return;
    }
    if (section === 'due' && indent === 4 && line.trim() === '{') due = [line];
  };
  // lowdb wrote no newline after the closing brace: the last line is what follows the last newline.
  const tail: LineTail = { text: '' };
  await eachLine(file, onLine, tail);
  if (tail.text !== '') onLine(tail.text);
  if (!ended || record !== null || due !== null) throw new Error(`${file} ends before the end of its document (it was cut short)`);
  if (format !== legacySnapshotFormat) throw new Error(`format is ${JSON.stringify(format)}, expected "${legacySnapshotFormat}"`);
  if (!Number.isSafeInteger(logGeneration) || (logGeneration as number) < 0) throw new Error('logGeneration is not a non-negative integer');
  return { logGeneration: logGeneration as number };
}
