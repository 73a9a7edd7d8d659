// Search on the movies example: GET /api/movies?q=… against a plain GET /api/movies page in the same
// run, on 10k and 100k synthetic movies, on SQLite and (when reachable) PostgreSQL. Rows are loaded
// through the raw driver, so the FTS5 triggers and the generated tsvector column index them as a
// bulk import would.
//
//   npm run bench:search -- [--seconds 3] [--connections 10] [--sizes 10000,100000]
//   SPECSTACK_BENCH_POSTGRES_URL=postgres://… (default postgres://postgres@127.0.0.1:5432/postgres)

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { type App, createApp } from '../src/app.ts';
import { syntheticMovie } from './synthetic-movies.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    sizes: { type: 'string', default: '10000,100000' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const SIZES = values.sizes.split(',').map(Number);
/** The example in place (its handlers import specstack); the database lives in a temp folder. */
const MOVIES = path.resolve(import.meta.dirname, '../examples/movies');
const POSTGRES_URL =
  process.env.SPECSTACK_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const SEARCHES = [
  'matrix',
  'lord of the ring',
  'dark night',
  'the silent',
  'kingdom of the',
  'cafe',
  'chateau',
  'winter st',
  'forgoten',
  'detective hacker',
];

async function load(url: string, paths: string[]) {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      { setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function insertRows(app: App, count: number): Promise<void> {
  const client = app.db.client;
  if (client.dialect === 'sqlite') {
    const insert = client.sqlite.prepare(
      'INSERT INTO movies (title, description, release_year, genres, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    client.sqlite.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const m = syntheticMovie(i);
        insert.run(m.title, m.description, m.year, JSON.stringify(m.genres), now);
      }
    })();
    return;
  }
  for (let start = 1; start <= count; start += 5000) {
    const batch = Array.from({ length: Math.min(5000, count - start + 1) }, (_, k) =>
      syntheticMovie(start + k),
    );
    await client.pool.query(
      `INSERT INTO movies (title, description, release_year, genres, created_at)
       SELECT t, d, y, g::jsonb, now() FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS r(t, d, y, g)`,
      [
        batch.map((m) => m.title),
        batch.map((m) => m.description),
        batch.map((m) => m.year),
        batch.map((m) => JSON.stringify(m.genres)),
      ],
    );
  }
  // As autovacuum would after an import: flushes the GIN pending list and updates statistics.
  await client.pool.query('VACUUM ANALYZE movies');
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`PostgreSQL skipped: ${POSTGRES_URL} unreachable (${(error as Error).message})`);
    return undefined;
  }
  const name = `specstack_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: POSTGRES_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

async function run(dialect: 'sqlite' | 'postgres', size: number, dir: string) {
  const database =
    dialect === 'sqlite'
      ? { url: `sqlite:${path.join(dir, `bench-${size}.db`)}`, drop: async () => {} }
      : await postgresDatabase();
  if (!database) return;
  const app = await createApp({
    appDir: MOVIES,
    env: {},
    overrides: {
      port: 0,
      databaseUrl: database.url,
      autoMigrate: true,
      logLevel: 'silent',
      jwtSecret: 'bench-secret-that-is-long-enough-for-hs256',
    },
  });
  try {
    const started = performance.now();
    await insertRows(app, size);
    const loaded = (performance.now() - started) / 1000;
    const url = await app.listen();
    const q = (text: string, extra = '') =>
      `/api/movies?q=${encodeURIComponent(text)}&limit=20${extra}`;
    const scenarios: [string, string[]][] = [
      ['plain list (limit 20)', ['/api/movies?limit=20']],
      ['search q (mixed)', SEARCHES.filter((s) => s !== 'forgoten').map((s) => q(s))],
      [
        'search q + genre + year',
        SEARCHES.slice(0, 6).map((s) => q(s, '&genre=Drama&release_year_gte=1950')),
      ],
      ['search with a typo', [q('forgoten'), q('kingdon'), q('chateu')]],
    ];
    console.log(`\n${dialect}, ${size} movies (loaded and indexed in ${loaded.toFixed(1)} s)`);
    await load(url, scenarios[1]![1]); // warm-up: JIT and statement caches
    let plain = 0;
    for (const [name, paths] of scenarios) {
      const r = await load(url, paths);
      if (name.startsWith('plain')) plain = r.rps;
      console.log(
        `  ${name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${(r.rps / plain).toFixed(2)} of plain   errors ${r.errors}`,
      );
    }
  } finally {
    await app.close();
    await database.drop();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-bench-search-'));
  try {
    console.log(`search bench: ${SECONDS}s per run, ${CONNECTIONS} connections`);
    for (const dialect of ['sqlite', 'postgres'] as const) {
      for (const size of SIZES) await run(dialect, size, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
