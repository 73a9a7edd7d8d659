// The movies example's full recommendation recompute (recomputeAll, the job's code path) on
// synthetic long-tailed ratings (Zipf movie popularity, 20 to 2,000 ratings per user), on SQLite
// and PostgreSQL: time and peak memory. Each recompute runs in a child process of its own, so
// its peak resident memory is its own, not the data generator's.
//
//   npm run bench:recommendations -- [--sizes 100000,1000000] [--dialects sqlite,postgres] [--postgres URL]

import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { syntheticRatings } from '../examples/movies/evaluation/synthetic-ratings.ts';
import {
  createScratchDatabase,
  fillDatabase,
  type MovieInfo,
  openMigrated,
} from '../examples/movies/evaluation/training-database.ts';
import { recomputeAll } from '../examples/movies/lib/recommendations/index.ts';
import { openDatabase } from '../src/db/open-database.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    postgres: {
      type: 'string',
      default:
        process.env.SPECSTACK_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    child: { type: 'string' },
  },
});

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

interface ChildReport {
  ms: number;
  maxRss: number;
  rssBefore: number;
  peakHeap: number;
  users: number;
  movies: number;
  ratings: number;
  phases: Record<string, number>;
}

/** In the child: one recompute over the database at `url`, reported as JSON on stdout. */
async function child(url: string): Promise<void> {
  const db = await openDatabase({ url, model: { tables: [] } });
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseStart = performance.now();
  const started = performance.now();
  const result = await recomputeAll(db, {
    onProgress: (progress) => {
      sample();
      if (progress.phase === phase) return;
      const now = performance.now();
      if (phase) phases[phase] = now - phaseStart;
      phase = progress.phase;
      phaseStart = now;
    },
  });
  const ms = performance.now() - started;
  phases[phase] = performance.now() - phaseStart;
  clearInterval(timer);
  await db.close();
  const report: ChildReport = {
    ms,
    maxRss: process.resourceUsage().maxRSS * 1024,
    rssBefore,
    peakHeap,
    users: result.users,
    movies: result.movies,
    ratings: result.ratings,
    phases,
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
  const pgProblem = await postgresProblem(values.postgres);
  if (pgProblem) console.log(`PostgreSQL skipped: ${values.postgres} unreachable (${pgProblem})`);
  const dialects = values.dialects
    .split(',')
    .filter((dialect) => dialect !== 'postgres' || !pgProblem);
  for (const size of values.sizes.split(',').map(Number)) {
    const data = syntheticRatings({ ratings: size });
    const movies: MovieInfo = new Map(
      [...data.genres].map(([id, genres]) => [id, { title: `Movie ${id}`, genres }]),
    );
    for (const dialect of dialects) {
      const scratch = await createScratchDatabase(
        dialect === 'postgres' ? values.postgres : undefined,
      );
      try {
        const db = await openMigrated(scratch.url);
        const loadStart = performance.now();
        await fillDatabase(db, data.ratings, movies);
        const loadMs = performance.now() - loadStart;
        await db.close();
        const output = execFileSync(
          process.execPath,
          ['--import', 'tsx', import.meta.filename, '--child', scratch.url],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        const r = JSON.parse(output) as ChildReport;
        const phases = Object.entries(r.phases)
          .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
          .join(', ');
        console.log(
          `${String(size).padStart(8)} ratings  ${dialect.padEnd(8)}  recompute ${(r.ms / 1000).toFixed(1)} s  peak RSS ${mib(r.maxRss)} (${mib(r.rssBefore)} before)  peak heap+buffers ${mib(r.peakHeap)}  [${r.users} users, ${r.movies} movies; ${phases}; data loaded in ${(loadMs / 1000).toFixed(1)} s]`,
        );
      } finally {
        await scratch.drop();
      }
    }
  }
}

if (values.child) await child(values.child);
else await main();
