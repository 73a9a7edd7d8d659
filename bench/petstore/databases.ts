// Throwaway databases for one run, one per server so neither sees the other's writes: SQLite
// files in a temp folder, or PostgreSQL databases created beside the given one and dropped after.
// Each gets the petstore's tables from `specstack migrate up` and the same PETS rows.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PETS } from './routes.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const PETSTORE = path.join(REPO, 'examples/petstore');
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

const pets = Array.from({ length: PETS }, (_, i) => ({
  name: `pet ${i + 1}`,
  tag: i % 2 === 0 ? 'odd' : 'even',
}));

function migrate(url: string): void {
  execFileSync(process.execPath, [BIN, 'migrate', 'up', '--app', PETSTORE], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function sqliteDatabase(dir: string, name: string): BenchDatabase {
  const file = path.join(dir, `${name}.db`);
  migrate(`sqlite:${file}`);
  const sqlite = new BetterSqlite3(file);
  const insert = sqlite.prepare('INSERT INTO pets (name, tag) VALUES (?, ?)');
  sqlite.transaction(() => {
    for (const pet of pets) insert.run(pet.name, pet.tag);
  })();
  sqlite.close();
  return { url: `sqlite:${file}`, handwrittenEnv: { DATABASE_FILE: file } };
}

export function sqliteDatabases(): BenchDatabases {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-bench-'));
  return {
    specstack: sqliteDatabase(dir, 'specstack'),
    handwritten: sqliteDatabase(dir, 'handwritten'),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
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

async function postgresDatabase(admin: pg.Client, baseUrl: string, name: string) {
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  migrate(url.href);
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  await client.query('INSERT INTO pets (name, tag) SELECT * FROM unnest($1::text[], $2::text[])', [
    pets.map((pet) => pet.name),
    pets.map((pet) => pet.tag),
  ]);
  await client.end();
  return { url: url.href, handwrittenEnv: { DATABASE_URL: url.href } };
}

export async function postgresDatabases(baseUrl: string): Promise<BenchDatabases> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const stamp = `specstack_bench_${Date.now()}_${process.pid}`;
  const names = [`${stamp}_s`, `${stamp}_h`];
  const drop = async () => {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    return {
      specstack: await postgresDatabase(admin, baseUrl, names[0]!),
      handwritten: await postgresDatabase(admin, baseUrl, names[1]!),
      drop,
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
