// A separate process running `migrateUp` or `migrateDown`: prints `ready` once connected, waits
// for a line on stdin so that several processes start together, then prints the result as JSON.
// Arguments: <url> <migrationsDir> [up|down] [--to id].

import { openDatabase } from '../../../src/db/open-database.ts';
import { migrateUp } from '../../../src/migrate/apply-migrations.ts';
import { migrateDown } from '../../../src/migrate/roll-back.ts';

const [url, migrationsDir, command = 'up', flag, to] = process.argv.slice(2) as [
  string,
  string,
  string?,
  string?,
  string?,
];
const options = flag === '--to' && to !== undefined ? { to } : {};
const db = await openDatabase({ url, model: { tables: [] } });
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
try {
  const result =
    command === 'down'
      ? await migrateDown(db, migrationsDir, options)
      : await migrateUp(db, migrationsDir, options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await db.close();
  process.stdin.destroy();
}
