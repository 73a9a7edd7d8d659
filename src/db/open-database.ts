// Opens the database a URL names: `sqlite:…` embedded, `postgres://…` at scale.

import type { Database, OpenDatabaseOptions } from './database.ts';
import { maskPassword, parseDatabaseUrl } from './database-url.ts';
import { openPostgresDatabase } from './postgres/postgres-database.ts';
import { openSqliteDatabase } from './sqlite/sqlite-database.ts';

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const location = parseDatabaseUrl(options.url, options.baseDir);
  const displayUrl = maskPassword(options.url);
  if (location.dialect === 'sqlite') {
    return openSqliteDatabase({ filename: location.filename, displayUrl, model: options.model });
  }
  return openPostgresDatabase({ url: location.url, displayUrl, model: options.model });
}
