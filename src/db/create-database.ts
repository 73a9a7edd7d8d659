// The Database object both backends return: repositories by schema name over one DialectAdapter.

import { MODEL_INVALID } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import type {
  Database,
  DatabaseClient,
  TableRepository,
  Transaction,
  TransactionOptions,
} from './database.ts';
import type { DialectAdapter } from './dialect-adapter.ts';
import type { QueryTiming } from './query-timing.ts';
import { createTableRepository } from './table-repository.ts';

export interface DatabaseParts {
  adapter: DialectAdapter;
  client: DatabaseClient;
  displayUrl: string;
  model: ModelDescription;
  tables: Record<string, unknown>;
  /** The repositories, when the backend built them itself (it shares them with transactions). */
  repository?: (schemaName: string) => TableRepository;
  /** Database.transaction, as the backend implements it. */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The slot the backend's statements report their durations to. */
  timing: QueryTiming;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Repositories by schema name, built on first use over one adapter. */
export function repositoryLookup(
  model: ModelDescription,
  tables: Record<string, unknown>,
  adapter: DialectAdapter,
): (schemaName: string) => TableRepository {
  const repositories = new Map<string, TableRepository>();
  return (schemaName) => {
    const cached = repositories.get(schemaName);
    if (cached) return cached;
    const table = model.tables.find((t) => t.schemaName === schemaName);
    if (!table) {
      throw MODEL_INVALID(`schema ${schemaName} has no x-tablename, so it has no table`, {
        details: { schemaName },
      });
    }
    const created = createTableRepository(table, tables[table.tableName], adapter);
    repositories.set(schemaName, created);
    return created;
  };
}

export function createDatabase(parts: DatabaseParts): Database {
  const repository = parts.repository ?? repositoryLookup(parts.model, parts.tables, parts.adapter);
  let closed: Promise<void> | undefined;
  return {
    dialect: parts.adapter.dialect,
    displayUrl: parts.displayUrl,
    model: parts.model,
    client: parts.client,
    drizzle: parts.adapter.db,
    tables: parts.tables,
    repository,
    transaction: parts.transaction,
    ping: parts.ping,
    observeQueries(observer) {
      parts.timing.observer = observer;
    },
    // Idempotent: shutdown paths may close twice.
    close: () => {
      closed ??= parts.close();
      return closed;
    },
  };
}
