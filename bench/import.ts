// The movies seed's CSV import (importCsv's batch path, as `specstack seed` runs it) of 100k
// MovieLens-shaped ratings, on SQLite and PostgreSQL: rows per second and the seed process's peak
// resident memory. The files are generated in a temp folder: long-tailed (Zipf movie popularity,
// 20 to 2,000 ratings per user), in MovieLens' layout. Each import runs in a child process of its
// own, so its peak RSS is the import's, not the generator's.
//
//   npm run bench:import -- [--ratings 100000] [--dialects sqlite,postgres] [--batch-size 1000]
//   SPECSTACK_TEST_POSTGRES_URL=postgres://… (default postgres://postgres@127.0.0.1:5432/postgres)

import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { syntheticRatings } from '../examples/movies/evaluation/synthetic-ratings.ts';
import {
  createScratchDatabase,
  openMigrated,
} from '../examples/movies/evaluation/training-database.ts';
import { importMovieLens } from '../examples/movies/seed.ts';
import { createProgressReporter } from '../src/seed/progress.ts';
import { runSeed } from '../src/seed/run-seed.ts';

const { values } = parseArgs({
  options: {
    ratings: { type: 'string', default: '100000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'batch-size': { type: 'string', default: '1000' },
    postgres: {
      type: 'string',
      default:
        process.env.SPECSTACK_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    child: { type: 'string' },
    folder: { type: 'string' },
  },
});
const MOVIES_APP = path.resolve(import.meta.dirname, '../examples/movies');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

interface ChildReport {
  moviesMs: number;
  ratingsMs: number;
  /** CPU time of the seed process (user + system) during ratings.csv: the client's share of the work. */
  ratingsCpuMs: number;
  rssLoaded: number;
  maxRss: number;
}

/** movies.csv and ratings.csv in MovieLens' layout (ratings.csv ~2.3 MB for 100k ratings). */
async function writeFiles(folder: string, ratings: number): Promise<void> {
  const data = syntheticRatings({ ratings });
  const movies = ['movieId,title,genres'];
  for (const [id, genres] of data.genres) {
    const title =
      id % 7 === 0
        ? `"Movie ${id}, The (${1950 + (id % 70)})"`
        : `Movie ${id} (${1950 + (id % 70)})`;
    movies.push(`${id},${title},${genres.join('|') || '(no genres listed)'}`);
  }
  writeFileSync(path.join(folder, 'movies.csv'), `${movies.join('\n')}\n`);
  const out = createWriteStream(path.join(folder, 'ratings.csv'));
  out.write('userId,movieId,rating,timestamp\n');
  const { users, movies: ids, ratings: values, length } = data.ratings;
  for (let k = 0; k < length; k += 1) {
    out.write(`${users[k]},${ids[k]},${values[k]!.toFixed(1)},${1_500_000_000 + k * 37}\n`);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** In the child: the movies seed's imports into the migrated database at `url`, as JSON on stdout. */
async function child(url: string, folder: string): Promise<void> {
  const rssLoaded = process.memoryUsage().rss;
  const times = { moviesMs: 0, ratingsMs: 0, ratingsCpuMs: 0 };
  await runSeed({
    appDir: MOVIES_APP,
    env: {},
    overrides: { databaseUrl: url },
    batchSize: Number(values['batch-size']),
    progress: createProgressReporter({ stream: process.stderr, tty: false, interval: 60_000 }),
    seed: async (context) => {
      let started = performance.now();
      await importMovieLens(context, { movies: path.join(folder, 'movies.csv') });
      times.moviesMs = performance.now() - started;
      started = performance.now();
      const cpu = process.cpuUsage();
      await importMovieLens(context, { ratings: path.join(folder, 'ratings.csv') });
      times.ratingsMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      times.ratingsCpuMs = (used.user + used.system) / 1000;
    },
  });
  const report: ChildReport = {
    ...times,
    rssLoaded,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(JSON.stringify(report));
}

async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

async function main(): Promise<void> {
  const count = Number(values.ratings);
  const folder = mkdtempSync(path.join(tmpdir(), 'specstack-import-'));
  try {
    await writeFiles(folder, count);
    const problem = await postgresProblem(values.postgres);
    if (problem) console.log(`PostgreSQL skipped: ${values.postgres} unreachable (${problem})`);
    const dialects = values.dialects.split(',').filter((d) => d !== 'postgres' || !problem);
    for (const dialect of dialects) {
      const scratch = await createScratchDatabase(
        dialect === 'postgres' ? values.postgres : undefined,
      );
      try {
        await (await openMigrated(scratch.url)).close();
        const output = execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            import.meta.filename,
            '--child',
            scratch.url,
            '--folder',
            folder,
            '--batch-size',
            values['batch-size'],
          ],
          { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        const r = JSON.parse(output) as ChildReport;
        const perSecond = Math.round(count / (r.ratingsMs / 1000));
        console.log(
          `${dialect.padEnd(8)} ${count} ratings in ${(r.ratingsMs / 1000).toFixed(2)} s = ${perSecond} rows/s, seed process CPU ${(r.ratingsCpuMs / 1000).toFixed(2)} s (movies.csv ${(r.moviesMs / 1000).toFixed(2)} s)  peak RSS ${mib(r.maxRss)} (${mib(r.rssLoaded)} once loaded)`,
        );
      } finally {
        await scratch.drop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (values.child && values.folder) await child(values.child, values.folder);
else await main();
