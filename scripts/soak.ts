// `npm run soak`: the movies example under sustained mixed load, then a consistency check.
// Users sign up and log in, then read, search, rate and ask for recommendations for --seconds at
// --users concurrent loops, on a fresh SQLite database (or --database-url). It fails on any 5xx,
// unexpected status or connection error, on memory growth past --max-growth MiB between the end
// of the warm-up and the end of the run, and when the database disagrees with what was
// acknowledged. See docs/reliability.md.
//
//   npm run soak -- [--seconds 120] [--users 32] [--max-growth 64] [--database-url URL]

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { freePort } from '../test/support/free-port.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO, 'bin/specstack.js');
const MOVIES = path.join(REPO, 'examples/movies');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    users: { type: 'string', default: '32' },
    'max-growth': { type: 'string', default: '64' },
    'database-url': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const USERS = Number(values.users);
const MAX_GROWTH_MIB = Number(values['max-growth']);
/** Memory is compared from this point on: caches and the JIT have settled by then. */
const WARMUP_SECONDS = Math.min(30, SECONDS / 4);
/**
 * Users join one after another over the first part of the warm-up. Each joins with a sign-up and
 * a login, two scrypt hashes of ~80 ms of CPU each (N=2^15, the production cost): all 32 at once
 * put 64 hashes in the thread pool together, ~5.4 s to clear on the two-core machine when it is
 * otherwise idle, and past the 10 s request timeout when other work shares the cores. That burst
 * is a stampede the soak does not mean to measure; the sustained load after it is.
 */
const RAMP_UP_SECONDS = Math.min(15, WARMUP_SECONDS * 0.8);
/** This run's users: a PostgreSQL database given with --database-url may hold earlier runs'. */
const PREFIX = `soak-${process.pid}-`;

interface Tally {
  requests: number;
  byOperation: Record<string, number>;
  failures: string[];
  signUps: Set<string>;
  /** `userId:movieId` -> the last rating the server acknowledged. */
  ratings: Map<string, number>;
}

const tally: Tally = {
  requests: 0,
  byOperation: {},
  failures: [],
  signUps: new Set(),
  ratings: new Map(),
};

function databaseFor(dir: string): string {
  return values['database-url'] ?? `sqlite:${path.join(dir, 'movies.db')}`;
}

function specstack(args: string[], env: Record<string, string>): void {
  execFileSync(process.execPath, [BIN, ...args, '--app', MOVIES], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The server at warn level (a line per request would be load of its own), up once it is live. */
async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'start', '--app', MOVIES], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`))),
  );
  exited.catch(() => {});
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return { child, url };
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), exited]);
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start in 30 s');
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function call(
  base: string,
  operation: string,
  method: string,
  url: string,
  expected: readonly number[],
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown } | undefined> {
  tally.requests += 1;
  tally.byOperation[operation] = (tally.byOperation[operation] ?? 0) + 1;
  try {
    const response = await fetch(`${base}/api${url}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) {
      tally.failures.push(
        `${operation} ${method} ${url}: ${response.status} ${text.slice(0, 200)}`,
      );
      return undefined;
    }
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    tally.failures.push(`${operation} ${method} ${url}: ${(error as Error).message}`);
    return undefined;
  }
}

const WORDS = ['star', 'the', 'love', 'man', 'war', 'night', 'toy', 'lord', 'día', 'amélie', 'x'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function virtualUser(base: string, index: number, movieIds: number[], deadline: number) {
  await new Promise((resolve) => setTimeout(resolve, (index * RAMP_UP_SECONDS * 1000) / USERS));
  const email = `${PREFIX}${index}@example.com`;
  const password = `soak-password-${index}`;
  const created = await call(base, 'signUp', 'POST', '/users', [201], {
    body: { email, name: `Soak ${index}`, password },
  });
  if (!created) return;
  const userId = (created.body as { id: number }).id;
  tally.signUps.add(email);
  const login = async () =>
    (
      (await call(base, 'login', 'POST', '/login', [200], { body: { email, password } }))?.body as
        | { access_token: string }
        | undefined
    )?.access_token;
  let token = await login();
  while (token && Date.now() < deadline) {
    const roll = Math.random();
    if (roll < 0.25) {
      await call(base, 'listMovies', 'GET', `/movies?q=${encodeURIComponent(pick(WORDS))}`, [200]);
    } else if (roll < 0.4) {
      await call(base, 'listMovies', 'GET', `/movies?limit=20&sort=-release_year`, [200]);
    } else if (roll < 0.55) {
      await call(base, 'getMovie', 'GET', `/movies/${pick(movieIds)}`, [200]);
    } else if (roll < 0.85) {
      const movieId = pick(movieIds);
      const rating = Math.ceil(Math.random() * 10) / 2;
      const rated = await call(base, 'rateMovie', 'PUT', `/movies/${movieId}/rating`, [200, 201], {
        token,
        body: { rating },
      });
      if (rated) tally.ratings.set(`${userId}:${movieId}`, rating);
    } else if (roll < 0.95) {
      await call(base, 'getMyRecommendations', 'GET', '/me/recommendations', [200], { token });
    } else {
      token = await login();
    }
  }
}

interface Stored {
  users: string[];
  ratings: Array<{ user_id: number; movie_id: number; rating: number }>;
  duplicates: number;
}

const STORED_QUERIES = {
  users: `SELECT email FROM users WHERE email LIKE '${PREFIX}%'`,
  ratings: `SELECT r.user_id, r.movie_id, r.rating FROM ratings r JOIN users u ON u.id = r.user_id WHERE u.email LIKE '${PREFIX}%'`,
  duplicates:
    'SELECT COUNT(*) AS n FROM (SELECT user_id, movie_id FROM ratings GROUP BY user_id, movie_id HAVING COUNT(*) > 1) d',
};

async function readStored(url: string): Promise<Stored> {
  if (url.startsWith('sqlite:')) {
    const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true });
    try {
      return {
        users: db
          .prepare<[], { email: string }>(STORED_QUERIES.users)
          .all()
          .map((r) => r.email),
        ratings: db.prepare<[], Stored['ratings'][number]>(STORED_QUERIES.ratings).all(),
        duplicates: db.prepare<[], { n: number }>(STORED_QUERIES.duplicates).get()!.n,
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const users = await client.query<{ email: string }>(STORED_QUERIES.users);
    const ratings = await client.query(STORED_QUERIES.ratings);
    const duplicates = await client.query<{ n: string }>(STORED_QUERIES.duplicates);
    return {
      users: users.rows.map((r) => r.email),
      ratings: ratings.rows.map((r) => ({ ...r, rating: Number(r.rating) })),
      duplicates: Number(duplicates.rows[0]!.n),
    };
  } finally {
    await client.end();
  }
}

/** What the database holds must be exactly what was acknowledged. */
function consistencyProblems(stored: Stored): string[] {
  const problems: string[] = [];
  const storedUsers = new Set(stored.users);
  if (
    storedUsers.size !== tally.signUps.size ||
    [...tally.signUps].some((e) => !storedUsers.has(e))
  ) {
    problems.push(
      `${tally.signUps.size} sign-ups acknowledged, ${storedUsers.size} soak users stored`,
    );
  }
  if (stored.duplicates > 0) problems.push(`${stored.duplicates} (user, movie) pairs rated twice`);
  const storedRatings = new Map(
    stored.ratings.map((r) => [`${r.user_id}:${r.movie_id}`, r.rating]),
  );
  if (storedRatings.size !== tally.ratings.size) {
    problems.push(`${tally.ratings.size} rated pairs acknowledged, ${storedRatings.size} stored`);
  }
  for (const [pair, rating] of tally.ratings) {
    if (storedRatings.get(pair) !== rating) {
      problems.push(`rating ${pair}: acknowledged ${rating}, stored ${storedRatings.get(pair)}`);
      break;
    }
  }
  return problems;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-soak-'));
  const url = databaseFor(dir);
  // One client address sends everything: the spec's login and sign-up limits would refuse it.
  const env = {
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    SPECSTACK_RATE_LIMITS: 'off',
    JWT_SECRET: randomBytes(32).toString('base64url'),
  };
  console.log(`soak: ${SECONDS} s, ${USERS} concurrent users, on ${url.split(':')[0]}`);
  specstack(['migrate', 'up'], env);
  specstack(['seed', '--if-empty'], env);
  const server = await startServer(env);
  try {
    const movies = await (await fetch(`${server.url}/api/movies?limit=100`)).json();
    const movieIds = (movies as Array<{ id: number }>).map((m) => m.id);
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    let settledRss: number | undefined;
    let peakRss = 0;
    const sampler = setInterval(() => {
      const rss = rssMiB(server.child.pid!);
      peakRss = Math.max(peakRss, rss);
      const elapsed = (Date.now() - started) / 1000;
      if (settledRss === undefined && elapsed >= WARMUP_SECONDS) settledRss = rss;
      if (Math.round(elapsed) % 15 === 0) {
        console.log(
          `soak: ${elapsed.toFixed(0)} s, ${tally.requests} requests, ${tally.failures.length} failures, RSS ${rss.toFixed(0)} MiB`,
        );
      }
    }, 1000);
    await Promise.all(
      Array.from({ length: USERS }, (_, i) => virtualUser(server.url, i, movieIds, deadline)),
    );
    clearInterval(sampler);
    const finalRss = rssMiB(server.child.pid!);
    const growth = finalRss - (settledRss ?? finalRss);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `soak: ${tally.requests} requests in ${seconds.toFixed(0)} s (${(tally.requests / seconds).toFixed(0)}/s): ${JSON.stringify(tally.byOperation)}`,
    );
    console.log(
      `soak: RSS ${settledRss?.toFixed(0)} MiB after the warm-up, ${finalRss.toFixed(0)} at the end, peak ${peakRss.toFixed(0)}`,
    );
    const problems = [...tally.failures.slice(0, 10)];
    if (growth > MAX_GROWTH_MIB) {
      problems.push(
        `RSS grew ${growth.toFixed(0)} MiB after the warm-up (bound ${MAX_GROWTH_MIB})`,
      );
    }
    problems.push(...consistencyProblems(await readStored(url)));
    if (problems.length > 0 || tally.failures.length > 0) {
      console.error(
        `soak failed (${tally.failures.length} failed requests):\n  ${problems.join('\n  ')}`,
      );
      process.exitCode = 1;
    } else {
      console.log(
        `soak passed: no failed request; ${tally.signUps.size} users and ${tally.ratings.size} rated pairs stored exactly as acknowledged; no pair rated twice`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
