// `specstack seed --app examples/movies`: the demo catalogue and ratings (demo/), or MovieLens files
// given with --movies and --ratings; then a demo admin and a demo user with known passwords.
// Safe to run twice: rows that exist are left alone.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type CsvRecord, defineSeed, hashPassword, type Transaction } from 'specstack';
import { parseGenres, parseTitle } from './lib/movielens.ts';
import { findUserByEmail } from './lib/users.ts';

const DEMO = path.join(import.meta.dirname, 'demo');

export const DEMO_ACCOUNTS = [
  { email: 'admin@specstack.dev', name: 'Demo Admin', password: 'specstack-admin', role: 'admin' },
  { email: 'demo@specstack.dev', name: 'Demo User', password: 'specstack-demo', role: 'user' },
] as const;

export const notice = `demo logins: ${DEMO_ACCOUNTS.map((a) => `${a.email} / ${a.password} (${a.role})`).join(', ')}`;

async function importMovie(record: CsvRecord, tx: Transaction): Promise<void> {
  const movies = tx.repository('Movie');
  const id = Number(record.movieId);
  if (await movies.findByKey(id)) return;
  const { title, year } = parseTitle(record.title ?? '');
  await movies.insert({ id, title, release_year: year, genres: parseGenres(record.genres ?? '') });
}

/** A hash no password matches: synthetic users exist for their ratings, not to log in. */
const unusableHash = () => `!unusable!${randomBytes(16).toString('hex')}`;

/** Rating rows, creating the users they name (user<N>@demo.invalid) on first sight. */
function ratingImporter() {
  const userIds = new Map<string, number>();
  const userIdOf = async (tx: Transaction, csvUserId: string): Promise<number> => {
    const known = userIds.get(csvUserId);
    if (known !== undefined) return known;
    const users = tx.repository('User');
    const email = `user${csvUserId}@demo.invalid`;
    const user =
      (await findUserByEmail(users, email)) ??
      (await users.insert({ email, name: `User ${csvUserId}`, password: unusableHash() }));
    userIds.set(csvUserId, user.id as number);
    return user.id as number;
  };
  return async (record: CsvRecord, tx: Transaction): Promise<void> => {
    const ratings = tx.repository('Rating');
    const userId = await userIdOf(tx, record.userId ?? '');
    const movieId = Number(record.movieId);
    const filters = { user_id: userId, movie_id: movieId };
    if ((await ratings.list({ filters, sort: [], limit: 1 })).rows.length > 0) return;
    const at = new Date(Number(record.timestamp) * 1000).toISOString();
    await ratings.insert({
      ...filters,
      rating: Number(record.rating),
      created_at: at,
      updated_at: at,
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
    await context.importCsv({ name: 'movies', file: path.resolve(moviesFile), row: importMovie });
  }
  if (typeof ratingsFile === 'string' && !context.signal.aborted) {
    const row = ratingImporter();
    await context.importCsv({ name: 'ratings', file: path.resolve(ratingsFile), row });
  }
  await context.db.transaction(ensureDemoAccounts);
});
