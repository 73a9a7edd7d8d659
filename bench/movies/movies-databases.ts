// The movies suite's databases: the app's migrations (`specstack migrate up`), the catalogue
// inserted in bulk through the driver as the search and recommendation benches load theirs, then
// every stored list and neighbour list computed by the app's own recompute (recomputeAll). One
// database is filled and copied for the other server, so both read the same stored rows.

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { recomputeAll } from '../../examples/movies/lib/recommendations/index.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import {
  type BenchDatabases,
  type Dialect,
  migrate,
  postgresDatabases,
  REPO,
  sqliteDatabases,
  sqliteFile,
} from '../runner/databases.ts';
import { type Catalogue, catalogue } from './catalogue.ts';

export const MOVIES_APP = path.join(REPO, 'examples/movies');

/** What the routes draw their requests from, read back once the lists are stored. */
export interface StoredLists {
  /** Movies with at least one stored neighbour. */
  similarIds: number[];
  /** Users with a stored list of recommendations. */
  userIds: number[];
}

const TABLES = ['users', 'movies', 'ratings'] as const;

async function recompute(url: string): Promise<void> {
  const db = await openDatabase({ url, model: { tables: [] } });
  try {
    await recomputeAll(db);
  } finally {
    await db.close();
  }
}

const STORED_USERS = 'SELECT DISTINCT user_id FROM recommendations ORDER BY user_id';
const numbers = (rows: unknown[]) => rows.map((row) => Number(Object.values(row as object)[0]));

async function fillSqlite(url: string, data: Catalogue): Promise<StoredLists> {
  migrate(url, MOVIES_APP);
  let sqlite = new BetterSqlite3(sqliteFile(url));
  sqlite.transaction(() => {
    for (const table of TABLES) {
      const { target, rows } = data[table];
      const marks = rows[0]!.map(() => '?').join(', ');
      const insert = sqlite.prepare(`INSERT INTO ${target} VALUES (${marks})`);
      for (const row of rows) insert.run(...row);
    }
  })();
  sqlite.close();
  await recompute(url);
  sqlite = new BetterSqlite3(sqliteFile(url), { readonly: true });
  try {
    return {
      similarIds: numbers(
        sqlite
          .prepare(
            'SELECT movie_id FROM similar_movies WHERE json_array_length(similar_ids) > 0 ORDER BY movie_id',
          )
          .all(),
      ),
      userIds: numbers(sqlite.prepare(STORED_USERS).all()),
    };
  } finally {
    sqlite.close();
  }
}

async function insertPostgres(client: pg.Client, data: Catalogue): Promise<void> {
  for (const table of TABLES) {
    const { target, postgresTypes, rows } = data[table];
    const arrays = postgresTypes.map((type, c) => `$${c + 1}::${type}[]`).join(', ');
    for (let from = 0; from < rows.length; from += 20_000) {
      const chunk = rows.slice(from, from + 20_000);
      await client.query(
        `INSERT INTO ${target} SELECT * FROM unnest(${arrays})`,
        postgresTypes.map((_, c) => chunk.map((row) => row[c])),
      );
    }
  }
  // Rows came with their ids: the sequences move past them, as the app's own imports do.
  for (const table of ['users', 'movies']) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
    );
  }
}

async function fillPostgres(url: string, data: Catalogue): Promise<StoredLists> {
  migrate(url, MOVIES_APP);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await insertPostgres(client, data);
    await recompute(url);
    // As autovacuum would after an import: the GIN index's pending list flushed, statistics made.
    await client.query('VACUUM ANALYZE');
    const similar = await client.query(
      'SELECT movie_id FROM similar_movies WHERE jsonb_array_length(similar_ids) > 0 ORDER BY movie_id',
    );
    const users = await client.query(STORED_USERS);
    return { similarIds: numbers(similar.rows), userIds: numbers(users.rows) };
  } finally {
    await client.end();
  }
}

export async function moviesDatabases(
  dialect: Dialect,
  postgresUrl: string,
): Promise<{ databases: BenchDatabases; lists: StoredLists }> {
  const data = await catalogue();
  let lists: StoredLists | undefined;
  const fill = async (url: string) => {
    lists = dialect === 'sqlite' ? await fillSqlite(url, data) : await fillPostgres(url, data);
  };
  const databases =
    dialect === 'sqlite'
      ? await sqliteDatabases(fill, { copy: true })
      : await postgresDatabases(postgresUrl, fill, { copy: true });
  return { databases, lists: lists! };
}
