// A separate process running `migrateUp`: prints `ready` once connected, waits for a line on
// stdin so that several processes start together, then prints the result as JSON.

import { openDatabase } from '../../../src/db/open-database.ts';
import { migrateUp } from '../../../src/migrate/apply-migrations.ts';

const [url, migrationsDir] = process.argv.slice(2) as [string, string];
const db = await openDatabase({ url, model: { tables: [] } });
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
try {
  const result = await migrateUp(db, migrationsDir);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await db.close();
  process.stdin.destroy();
}
