// A scratch database with the movies app's schema (its migrations applied), filled with a rating
// set in bulk: where evaluation and the benchmark run the recommender exactly as the job does.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from 'specstack';
import { openDatabase } from '../../../src/db/open-database.ts';
import { migrateUp } from '../../../src/migrate/apply-migrations.ts';
import { deriveModel } from '../../../src/model/derive-model.ts';
import { loadSpec } from '../../../src/spec/index.ts';
import type { RatingSet } from './rating-set.ts';

const APP = path.resolve(import.meta.dirname, '..');

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database: a SQLite file in a temp folder, or a new database on a PostgreSQL server. */
export async function createScratchDatabase(postgresServer?: string): Promise<ScratchDatabase> {
  if (!postgresServer) {
    const dir = mkdtempSync(path.join(tmpdir(), 'specstack-recs-'));
    return {
      url: `sqlite:${path.join(dir, 'train.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `specstack_recs_${randomBytes(5).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresServer });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresServer);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Opens the database with the app's model, after applying the app's migrations. */
export async function openMigrated(url: string): Promise<Database> {
  const spec = await loadSpec(path.join(APP, 'openapi.yaml'));
  const db = await openDatabase({ url, model: deriveModel(spec.document, spec.file) });
  await migrateUp(db, path.join(APP, 'migrations'));
  return db;
}

export type MovieInfo = Map<number, { title: string; genres: string[] }>;

interface Rows {
  users: unknown[][];
  movies: unknown[][];
  ratings: unknown[][];
}

function rowsOf(set: RatingSet, movies: MovieInfo): Rows {
  const now = new Date().toISOString();
  const userIds = new Set<number>();
  const movieIds = new Set<number>(movies.keys());
  for (let k = 0; k < set.length; k += 1) {
    userIds.add(set.users[k]!);
    movieIds.add(set.movies[k]!);
  }
  const ratings: unknown[][] = [];
  for (let k = 0; k < set.length; k += 1) {
    ratings.push([set.users[k], set.movies[k], set.ratings[k], now, now]);
  }
  return {
    users: [...userIds].map((id) => [
      id,
      `user${id}@eval.invalid`,
      `User ${id}`,
      '!unusable!',
      'user',
      now,
    ]),
    movies: [...movieIds].map((id) => {
      const info = movies.get(id);
      return [id, info?.title ?? `Movie ${id}`, JSON.stringify(info?.genres ?? []), now];
    }),
    ratings,
  };
}

const INSERTS = {
  users: [
    'users (id, email, name, password, role, created_at)',
    'bigint,text,text,text,text,timestamptz',
  ],
  movies: ['movies (id, title, genres, created_at)', 'bigint,text,jsonb,timestamptz'],
  ratings: [
    'ratings (user_id, movie_id, rating, created_at, updated_at)',
    'bigint,bigint,float8,timestamptz,timestamptz',
  ],
} as const;

/** Writes the users, movies and ratings of a rating set (ids kept), in bulk. */
export async function fillDatabase(db: Database, set: RatingSet, movies: MovieInfo): Promise<void> {
  const rows = rowsOf(set, movies);
  const client = db.client;
  if (client.dialect === 'sqlite') {
    const sqlite = client.sqlite;
    sqlite.transaction(() => {
      for (const table of ['users', 'movies', 'ratings'] as const) {
        const [target] = INSERTS[table];
        const width = rows[table][0]?.length ?? 0;
        const insert = sqlite.prepare(
          `INSERT INTO ${target} VALUES (${Array(width).fill('?').join(', ')})`,
        );
        for (const row of rows[table]) insert.run(...row);
      }
    })();
    return;
  }
  for (const table of ['users', 'movies', 'ratings'] as const) {
    const [target, types] = INSERTS[table];
    const casts = types.split(',').map((type, c) => `$${c + 1}::${type}[]`);
    for (let from = 0; from < rows[table].length; from += 20_000) {
      const chunk = rows[table].slice(from, from + 20_000);
      const columns = casts.map((_, c) => chunk.map((row) => row[c]));
      await client.pool.query(
        `INSERT INTO ${target} SELECT * FROM unnest(${casts.join(', ')})`,
        columns,
      );
    }
  }
  // Rows came with explicit ids: move the sequences past them, or the next generated id collides.
  for (const table of ['users', 'movies']) {
    await client.pool.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
    );
  }
}
