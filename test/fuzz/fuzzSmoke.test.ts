import { it } from 'vitest';
import { expectClean, fuzzLiveServer } from './fuzzSuite.js';

// The quick slice of `npm run fuzz` that runs with every `npm test`.
it('answers 2,000 fuzzed requests without a 5xx, each error Amazon-shaped with a request id, none over 2 s', async () => {
  const report = await fuzzLiveServer(2000, 7);
  expectClean(report, 2000);
}, 120_000);
