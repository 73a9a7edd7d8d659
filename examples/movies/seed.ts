// `specstack seed --app examples/movies`: the demo catalogue and ratings (demo/), or MovieLens files
// given with --movies and --ratings; then a demo admin and a demo user with known passwords.
// Safe to run twice: rows that exist are left alone. Batches go through importCsv's batch path
// (multi-row INSERTs checked against the spec's columns), and rating users keep the CSV's userId as
// their id. Recommendations are computed at the end, so the catalogue recommends from the first
// start instead of waiting for the nightly job.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  type CsvRecord,
  defineSeed,
  hashPassword,
  insertRows,
  type Row,
  type SeedContext,
  type Transaction,
} from 'specstack';
import { parseGenres, parseTitle } from './lib/movielens.ts';
import { recomputeAll } from './lib/recommendations/index.ts';
import { queryRows } from './lib/sql.ts';
import { findUserByEmail } from './lib/users.ts';

const DEMO = path.join(import.meta.dirname, 'demo');

export const DEMO_ACCOUNTS = [
  { email: 'admin@specstack.dev', name: 'Demo Admin', password: 'specstack-admin', role: 'admin' },
  { email: 'demo@specstack.dev', name: 'Demo User', password: 'specstack-demo', role: 'user' },
] as const;

export const notice = `demo logins: ${DEMO_ACCOUNTS.map((a) => `${a.email} / ${a.password} (${a.role})`).join(', ')}`;

/** A movies.csv record as a Movie: the title reads naturally, the year apart; the id is kept. */
function movieRow(record: CsvRecord): Row {
  const { title, year } = parseTitle(record.title ?? '');
  return {
    id: record.movieId,
    title,
    release_year: year,
    genres: parseGenres(record.genres ?? ''),
  };
}

/** A ratings.csv record as a Rating, rated at the CSV's Unix time. */
function ratingRow(record: CsvRecord): Row {
  const seconds = Number(record.timestamp);
  if (record.timestamp === '' || !Number.isFinite(seconds)) {
    throw new Error(`timestamp: must be Unix seconds, not "${record.timestamp}"`);
  }
  const at = new Date(seconds * 1000);
  return {
    user_id: record.userId,
    movie_id: record.movieId,
    rating: record.rating,
    created_at: at,
    updated_at: at,
  };
}

/** A hash no password matches: synthetic users exist for their ratings, not to log in. */
const unusableHash = () => `!unusable!${randomBytes(16).toString('hex')}`;
const syntheticEmail = (id: number) => `user${id}@demo.invalid`;

/**
 * Creates the users a batch of ratings names, with the CSV's userId as their id, so the data
 * set's users are addressable by it (GET /users/{id}/recommendations). A user of that id who is
 * someone else stops the import rather than receive another person's ratings.
 */
async function ensureCsvUsers(tx: Transaction, ids: number[]): Promise<void> {
  await insertRows(
    tx,
    'User',
    ids.map((id) => ({
      id,
      email: syntheticEmail(id),
      name: `User ${id}`,
      password: unusableHash(),
      role: 'user',
    })),
  );
  const found = await queryRows<{ id: number | string; email: string }>(
    tx,
    `SELECT id, email FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const emails = new Map(found.map((row) => [Number(row.id), row.email]));
  for (const id of ids) {
    if (emails.get(id) !== syntheticEmail(id)) {
      throw new Error(
        `ratings.csv user ${id}: the database's user ${id} is ${emails.get(id) ?? 'missing'}, not ${syntheticEmail(id)} (another account holds this id or email); seed an empty database`,
      );
    }
  }
}

/** Before each batch of ratings: the users it names that this run has not seen yet. */
function csvUsers() {
  const known = new Set<number>();
  return async (rows: Row[], tx: Transaction): Promise<void> => {
    const fresh = new Set<number>();
    for (const row of rows) {
      const id = Number(row.user_id);
      if (Number.isSafeInteger(id) && !known.has(id)) fresh.add(id);
    }
    if (fresh.size === 0) return;
    await ensureCsvUsers(tx, [...fresh]);
    // Known only once committed: a batch that rolls back must create its users again.
    tx.afterCommit(() => {
      for (const id of fresh) known.add(id);
    });
  };
}

/** Imports MovieLens files through importCsv's batch path: movies.csv, then ratings.csv. */
export async function importMovieLens(
  context: SeedContext,
  files: { movies?: string; ratings?: string },
): Promise<void> {
  if (files.movies) {
    await context.importCsv({
      name: 'movies',
      file: files.movies,
      into: 'Movie',
      transform: movieRow,
    });
  }
  if (files.ratings && !context.signal.aborted) {
    await context.importCsv({
      name: 'ratings',
      file: files.ratings,
      into: 'Rating',
      transform: ratingRow,
      before: csvUsers(),
    });
  }
}

async function ensureDemoAccounts(tx: Transaction): Promise<void> {
  const users = tx.repository('User');
  for (const account of DEMO_ACCOUNTS) {
    if (await findUserByEmail(users, account.email)) continue;
    await users.insert({ ...account, password: await hashPassword(account.password) });
  }
}

export default defineSeed(async (context) => {
  const { args } = context;
  const given = typeof args.movies === 'string' || typeof args.ratings === 'string';
  const moviesFile = given ? args.movies : path.join(DEMO, 'movies.csv');
  const ratingsFile = given ? args.ratings : path.join(DEMO, 'ratings.csv');
  await importMovieLens(context, {
    ...(typeof moviesFile === 'string' ? { movies: path.resolve(moviesFile) } : {}),
    ...(typeof ratingsFile === 'string' ? { ratings: path.resolve(ratingsFile) } : {}),
  });
  // The CSV's users came with explicit ids; insertRows moved PostgreSQL's sequence past them, so
  // the demo accounts take the ids after them.
  await context.db.transaction(ensureDemoAccounts);
  if (context.signal.aborted) return;
  context.log('computing recommendations…');
  const result = await recomputeAll(context.db, { signal: context.signal });
  context.log(
    `recommendations for ${result.users} users (${result.coldStartUsers} from the cold-start ranking) from ${result.ratings} ratings in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
});
