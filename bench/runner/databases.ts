// Throwaway databases for one run, one per server so neither sees the other's writes: SQLite
// files in a temp folder, or PostgreSQL databases created beside the given one and dropped after.
// A suite fills them: each is given its app's tables by `specstack migrate up`, then its rows.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(REPO, 'bin/specstack.js');

export type Dialect = 'sqlite' | 'postgres';

export interface BenchDatabase {
  /** DATABASE_URL for specstack. */
  url: string;
  /** What the hand-written server of the dialect is given (a file, or the same URL). */
  handwrittenEnv: Record<string, string>;
}

export interface BenchDatabases {
  specstack: BenchDatabase;
  handwritten: BenchDatabase;
  drop(): Promise<void>;
}

/** Fills one database, given its DATABASE_URL. */
export type Fill = (url: string) => Promise<void>;

export interface FillOptions {
  /**
   * Fill the first database only and copy it for the second: for data that is slow to make
   * (computed recommendations), and identical rows down to their physical order.
   */
  copy?: boolean;
}

export function migrate(url: string, app: string): void {
  execFileSync(process.execPath, [BIN, 'migrate', 'up', '--app', app], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The file of a `sqlite:` URL. */
export const sqliteFile = (url: string) => url.slice('sqlite:'.length);

const sqliteDatabase = (file: string): BenchDatabase => ({
  url: `sqlite:${file}`,
  handwrittenEnv: { DATABASE_FILE: file },
});

export async function sqliteDatabases(
  fill: Fill,
  options: FillOptions = {},
): Promise<BenchDatabases> {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-bench-'));
  const drop = async () => rmSync(dir, { recursive: true, force: true });
  try {
    const specstack = sqliteDatabase(path.join(dir, 'specstack.db'));
    const handwritten = sqliteDatabase(path.join(dir, 'handwritten.db'));
    await fill(specstack.url);
    // Closed by then, so its write-ahead log is checkpointed into the file and gone.
    if (options.copy) copyFileSync(sqliteFile(specstack.url), sqliteFile(handwritten.url));
    else await fill(handwritten.url);
    return { specstack, handwritten, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Whether a PostgreSQL server answers at `url` within two seconds. */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Database `name` on the server of `baseUrl`. */
function postgresDatabase(baseUrl: string, name: string): BenchDatabase {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.href, handwrittenEnv: { DATABASE_URL: url.href } };
}

export async function postgresDatabases(
  baseUrl: string,
  fill: Fill,
  options: FillOptions = {},
): Promise<BenchDatabases> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const stamp = `specstack_bench_${Date.now()}_${process.pid}`;
  const names = [`${stamp}_s`, `${stamp}_h`] as const;
  const drop = async () => {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  const specstack = postgresDatabase(baseUrl, names[0]);
  const handwritten = postgresDatabase(baseUrl, names[1]);
  try {
    await admin.query(`CREATE DATABASE ${names[0]}`);
    await fill(specstack.url);
    // A template is copied file by file: the same rows, statistics and index pages.
    if (options.copy) await admin.query(`CREATE DATABASE ${names[1]} TEMPLATE ${names[0]}`);
    else {
      await admin.query(`CREATE DATABASE ${names[1]}`);
      await fill(handwritten.url);
    }
    return { specstack, handwritten, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
