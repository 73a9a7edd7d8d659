// `specstack seed --app examples/movies`: the demo catalogue and ratings (demo/), or MovieLens files
// given with --movies and --ratings; then a demo admin and a demo user with known passwords.
// Safe to run twice: rows that exist are left alone. Batches are written with bulk statements, and
// rating users keep the CSV's userId as their id. Recommendations are computed at the end, so the
// catalogue recommends from the first start instead of waiting for the nightly job.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type CsvRecord, defineSeed, hashPassword, type Transaction } from 'specstack';
import { parseGenres, parseTitle } from './lib/movielens.ts';
import { recomputeAll } from './lib/recommendations/index.ts';
import { insertMany, queryRows, syncIdSequence } from './lib/sql.ts';
import { findUserByEmail } from './lib/users.ts';

const DEMO = path.join(import.meta.dirname, 'demo');

export const DEMO_ACCOUNTS = [
  { email: 'admin@specstack.dev', name: 'Demo Admin', password: 'specstack-admin', role: 'admin' },
  { email: 'demo@specstack.dev', name: 'Demo User', password: 'specstack-demo', role: 'user' },
] as const;

export const notice = `demo logins: ${DEMO_ACCOUNTS.map((a) => `${a.email} / ${a.password} (${a.role})`).join(', ')}`;

/** A batch of movies.csv, in one statement; movies that exist are left alone. */
async function importMovies(records: CsvRecord[], tx: Transaction): Promise<void> {
  const now = new Date().toISOString();
  const rows = records.map((record) => {
    const { title, year } = parseTitle(record.title ?? '');
    return [
      Number(record.movieId),
      title,
      year,
      JSON.stringify(parseGenres(record.genres ?? '')),
      now,
    ];
  });
  await insertMany(tx, {
    table: 'movies',
    columns: ['id', 'title', 'release_year', 'genres', 'created_at'],
    types: ['bigint', 'text', 'int', 'jsonb', 'timestamptz'],
    rows,
    suffix: 'ON CONFLICT (id) DO NOTHING',
  });
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
  const now = new Date().toISOString();
  await insertMany(tx, {
    table: 'users',
    columns: ['id', 'email', 'name', 'password', 'role', 'created_at'],
    types: ['bigint', 'text', 'text', 'text', 'text', 'timestamptz'],
    rows: ids.map((id) => [id, syntheticEmail(id), `User ${id}`, unusableHash(), 'user', now]),
    suffix: 'ON CONFLICT DO NOTHING',
  });
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

/** Batches of ratings.csv: their users first, then the ratings; pairs that exist are left alone. */
function ratingImporter() {
  const known = new Set<number>();
  return async (records: CsvRecord[], tx: Transaction): Promise<void> => {
    const fresh = [...new Set(records.map((record) => Number(record.userId)))].filter(
      (id) => !known.has(id),
    );
    if (fresh.length > 0) await ensureCsvUsers(tx, fresh);
    for (const id of fresh) known.add(id);
    const rows = records.map((record) => {
      const at = new Date(Number(record.timestamp) * 1000).toISOString();
      return [Number(record.userId), Number(record.movieId), Number(record.rating), at, at];
    });
    await insertMany(tx, {
      table: 'ratings',
      columns: ['user_id', 'movie_id', 'rating', 'created_at', 'updated_at'],
      types: ['bigint', 'bigint', 'float8', 'timestamptz', 'timestamptz'],
      rows,
      suffix: 'ON CONFLICT (user_id, movie_id) DO NOTHING',
    });
  };
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
  if (typeof moviesFile === 'string') {
    await context.importCsv({ name: 'movies', file: path.resolve(moviesFile), rows: importMovies });
  }
  if (typeof ratingsFile === 'string' && !context.signal.aborted) {
    const rows = ratingImporter();
    await context.importCsv({ name: 'ratings', file: path.resolve(ratingsFile), rows });
  }
  // The CSV's users came with explicit ids: the demo accounts take the ids after them.
  await syncIdSequence(context.db, 'users');
  await context.db.transaction(ensureDemoAccounts);
  if (context.signal.aborted) return;
  context.log('computing recommendations…');
  const result = await recomputeAll(context.db, { signal: context.signal });
  context.log(
    `recommendations for ${result.users} users (${result.coldStartUsers} from the cold-start ranking) from ${result.ratings} ratings in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
});
