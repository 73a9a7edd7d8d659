// Hand-written migration files for the apply suites: failing, slow or numerous ones that a spec
// change would not produce.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dialect } from '../../../src/db/database.ts';
import { renderMigration } from '../../../src/migrate/migration-files.ts';

export async function writeSqlMigration(
  migrationsDir: string,
  dialect: Dialect,
  key: string,
  statements: string[],
  downStatements?: string[],
): Promise<string> {
  const [, name = key] = key.split('_');
  const dir = path.join(migrationsDir, dialect);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${key}.sql`);
  const sql = renderMigration({
    name,
    dialect,
    createdAt: new Date(),
    specName: 'openapi.yaml',
    statements,
  });
  await writeFile(file, sql);
  if (downStatements) {
    const down = renderMigration({
      name,
      dialect,
      createdAt: new Date(),
      specName: 'openapi.yaml',
      statements: downStatements,
      direction: 'down',
    });
    await writeFile(path.join(dir, `${key}.down.sql`), down);
  }
  return file;
}
