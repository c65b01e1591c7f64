import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Collection } from './store.js';

/**
 * Largest dictionary chosen. zlib would use up to its 32 KiB window, but setting a dictionary costs
 * every pack a pass over it, and past 8 KiB that cost jumps (a 2.3 KB session: 26 µs with three
 * sessions as dictionary, 56 µs with four) while the packed size stays the same (163 vs 164 bytes
 * of base64). Dictionaries chosen before this limit stay as they are: packed records depend on them.
 */
export const MAX_DICTIONARY = 8 * 1024;

/**
 * Packs cold records small: each record's JSON is deflated on its own (so any one record can be
 * read back alone) against a dictionary per collection made of that collection's own records, so
 * the keys, nulls and fixed texts every record repeats cost almost nothing. A 2.3 KB checkout
 * session packs to about 150 bytes. A dictionary is chosen once per collection and never changes,
 * because every packed record depends on it; the snapshot file carries it across restarts.
 */
export class Packer {
  readonly #dictionaries = new Map<Collection, Buffer>();

  /** The dictionary of a collection, if one was chosen. */
  dictionary(collection: Collection): Buffer | undefined {
    return this.#dictionaries.get(collection);
  }

  /** Every chosen dictionary. */
  dictionaries(): [Collection, Buffer][] {
    return [...this.#dictionaries];
  }

  /** Sets a collection's dictionary (from a snapshot); refuses to change one already in use. */
  setDictionary(collection: Collection, dictionary: Buffer): void {
    const current = this.#dictionaries.get(collection);
    if (current && !current.equals(dictionary)) throw new Error(`store: the ${collection} dictionary is already set to a different one`);
    this.#dictionaries.set(collection, dictionary);
  }

  /** Chooses a collection's dictionary from sample records' JSON, if it has none yet. */
  chooseDictionary(collection: Collection, samples: readonly string[]): void {
    if (this.#dictionaries.has(collection) || samples.length === 0) return;
    // zlib prefers matches near the end of the dictionary: the most typical sample goes last.
    let text = '';
    for (const sample of samples) {
      if (text.length + sample.length > MAX_DICTIONARY) break;
      text = sample + text;
    }
    this.#dictionaries.set(collection, Buffer.from(text || samples[0]!.slice(0, MAX_DICTIONARY), 'utf8'));
  }

  /**
   * Deflates one record's JSON; the result is base64, the form the snapshot stores, so loading a
   * snapshot keeps each packed record's text as it was read instead of converting it.
   */
  pack(collection: Collection, json: string): string {
    const dictionary = this.#dictionaries.get(collection);
    const options = dictionary ? { dictionary, level: 6 } : { level: 6 };
    return deflateRawSync(Buffer.from(json, 'utf8'), options).toString('base64');
  }

  /** The JSON text of a packed record. */
  unpack(collection: Collection, packed: string): string {
    const dictionary = this.#dictionaries.get(collection);
    const bytes = Buffer.from(packed, 'base64');
    return inflateRawSync(bytes, dictionary ? { dictionary } : {}).toString('utf8');
  }
}
