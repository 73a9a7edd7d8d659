// Runs one suite on every dialect: a fresh SQLite file, and a fresh PostgreSQL database per suite.
// PostgreSQL comes from SPECSTACK_TEST_POSTGRES_URL; unreachable means skipped, unless
// SPECSTACK_TEST_REQUIRE_SERVICES=1, where it means failed.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import type { Database, Dialect } from '../../src/db/database.ts';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { diffModel } from '../../src/migrate/diff.ts';
import type { ModelDescription } from '../../src/model/table-description.ts';

export const POSTGRES_URL =
  process.env.SPECSTACK_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REQUIRE_SERVICES = process.env.SPECSTACK_TEST_REQUIRE_SERVICES === '1';

export interface DialectContext {
  dialect: Dialect;
  /** A new, empty database for this dialect; removed when the suite ends. */
  createDatabaseUrl(): Promise<string>;
}

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresProblem = await probePostgres();
if (postgresProblem && !REQUIRE_SERVICES) {
  console.warn(`PostgreSQL suites skipped: ${POSTGRES_URL} unreachable (${postgresProblem})`);
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function sqliteContext(): DialectContext & { cleanup(): Promise<void> } {
  let dir: string | undefined;
  let count = 0;
  return {
    dialect: 'sqlite',
    async createDatabaseUrl() {
      dir ??= mkdtempSync(path.join(tmpdir(), 'specstack-test-'));
      count += 1;
      return `sqlite:${path.join(dir, `db-${count}.sqlite`)}`;
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresContext(): DialectContext & { cleanup(): Promise<void> } {
  const created: string[] = [];
  return {
    dialect: 'postgres',
    async createDatabaseUrl() {
      const name = `specstack_test_${randomBytes(6).toString('hex')}`;
      await adminQuery(`CREATE DATABASE "${name}"`);
      created.push(name);
      return withDatabase(POSTGRES_URL, name);
    },
    async cleanup() {
      // WITH (FORCE) drops even if a test leaked a connection.
      for (const name of created)
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Declares `title [sqlite]` and `title [postgres]`, each given its own context. */
export function describeEachDialect(
  title: string,
  body: (ctx: DialectContext) => void,
  dialects: readonly Dialect[] = ['sqlite', 'postgres'],
): void {
  for (const dialect of dialects) {
    const name = `${title} [${dialect}]`;
    if (dialect === 'postgres' && postgresProblem) {
      if (REQUIRE_SERVICES) {
        describe(name, () => {
          throw new Error(
            `PostgreSQL is required (SPECSTACK_TEST_REQUIRE_SERVICES=1) but ${POSTGRES_URL} is unreachable: ${postgresProblem}`,
          );
        });
      } else {
        describe.skip(name, () => body(postgresContext()));
      }
      continue;
    }
    describe(name, () => {
      const ctx = dialect === 'sqlite' ? sqliteContext() : postgresContext();
      afterAll(() => ctx.cleanup());
      body(ctx);
    });
  }
}

/** Creates the model's tables in an empty database, as a first migration would. */
export async function createSchema(url: string, model: ModelDescription): Promise<void> {
  const { statements } = await diffModel(model, parseDatabaseUrl(url).dialect, null);
  await runStatements(url, statements, { transaction: true });
}

/** Opens a new database of the suite's dialect holding the model's tables, all empty. */
export async function openWithSchema(
  ctx: DialectContext,
  model: ModelDescription,
): Promise<Database> {
  const url = await ctx.createDatabaseUrl();
  await createSchema(url, model);
  return openDatabase({ url, model });
}

/** Runs statements in order on the database at `url`, all or nothing when `transaction` is set. */
export async function runStatements(
  url: string,
  statements: string[],
  { transaction = false } = {},
): Promise<void> {
  const location = parseDatabaseUrl(url);
  if (location.dialect === 'sqlite') {
    const db = new BetterSqlite3(location.filename);
    const runAll = () => {
      for (const statement of statements) db.exec(statement);
    };
    try {
      if (transaction) db.transaction(runAll)();
      else runAll();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    if (transaction) await client.query('BEGIN');
    for (const statement of statements) await client.query(statement);
    if (transaction) await client.query('COMMIT');
  } catch (error) {
    if (transaction) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
