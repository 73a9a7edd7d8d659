// The search backend of each dialect, for db/ (queries) and migrate/ (DDL).

import type { Dialect } from '../db/database.ts';
import { postgresSearch } from './postgres/postgres-search-query.ts';
import type { SearchBackend } from './search-dialect.ts';
import { sqliteSearch } from './sqlite/sqlite-search-query.ts';

export const SEARCH_BACKENDS: Record<Dialect, SearchBackend> = {
  sqlite: sqliteSearch,
  postgres: postgresSearch,
};
