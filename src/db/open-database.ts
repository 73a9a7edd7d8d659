// Opens the database a URL names: `sqlite:…` embedded, `postgres://…` at scale. Each backend's
// driver is imported only when its database is opened: a process never loads both.

import type { Database, OpenDatabaseOptions } from './database.ts';
import { maskPassword, parseDatabaseUrl } from './database-url.ts';

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const location = parseDatabaseUrl(options.url, options.baseDir);
  const displayUrl = maskPassword(options.url);
  if (location.dialect === 'sqlite') {
    const { openSqliteDatabase } = await import('./sqlite/sqlite-database.ts');
    return openSqliteDatabase({ filename: location.filename, displayUrl, model: options.model });
  }
  const { openPostgresDatabase } = await import('./postgres/postgres-database.ts');
  return openPostgresDatabase({ url: location.url, displayUrl, model: options.model });
}
