// The Database object both backends return: repositories by schema name over one DialectAdapter.

import { MODEL_INVALID } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import type { Database, DatabaseClient, TableRepository } from './database.ts';
import type { DialectAdapter } from './dialect-adapter.ts';
import { createTableRepository } from './table-repository.ts';

export interface DatabaseParts {
  adapter: DialectAdapter;
  client: DatabaseClient;
  displayUrl: string;
  model: ModelDescription;
  tables: Record<string, unknown>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createDatabase(parts: DatabaseParts): Database {
  const repositories = new Map<string, TableRepository>();
  const repository = (schemaName: string): TableRepository => {
    const cached = repositories.get(schemaName);
    if (cached) return cached;
    const table = parts.model.tables.find((t) => t.schemaName === schemaName);
    if (!table) {
      throw MODEL_INVALID(`schema ${schemaName} has no x-tablename, so it has no table`, {
        details: { schemaName },
      });
    }
    const created = createTableRepository(table, parts.tables[table.tableName], parts.adapter);
    repositories.set(schemaName, created);
    return created;
  };
  let closed: Promise<void> | undefined;
  return {
    dialect: parts.adapter.dialect,
    displayUrl: parts.displayUrl,
    model: parts.model,
    client: parts.client,
    drizzle: parts.adapter.db,
    tables: parts.tables,
    repository,
    ping: parts.ping,
    // Idempotent: shutdown paths may close twice.
    close: () => {
      closed ??= parts.close();
      return closed;
    },
  };
}
