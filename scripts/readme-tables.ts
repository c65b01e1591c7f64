// Prints the README's generated tables (configuration, reason codes); test/docs/readme.test.ts
// fails when the README and these drift apart. Run: npm run build && node dist/scripts/readme-tables.js
import { configTable, reasonCodeTable, simulationTable, documentedRulesTable } from '../server/docs/referenceTables.js';

process.stdout.write(`<!-- config-table -->\n${configTable()}\n<!-- /config-table -->\n\n<!-- reason-codes -->\n${reasonCodeTable()}\n<!-- /reason-codes -->\n\n<!-- simulation-codes -->\n${simulationTable()}\n<!-- /simulation-codes -->\n\n<!-- documented-rules -->\n${documentedRulesTable()}\n<!-- /documented-rules -->\n`);
