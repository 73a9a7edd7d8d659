// `npm run evaluate -- --ratings FILE [--movies FILE]` (or `--synthetic 100000`): holds out 20% of
// each user's ratings (seeded), trains on the rest in a scratch database through recomputeAll
// (the job's code path), reads each user's top 10 as the API does, and prints precision@10,
// recall@10 and hit rate for the recommender and the most-rated-unseen popularity baseline.
//   --postgres URL   train in a new database on this PostgreSQL server instead of SQLite
//   --seed N         the split's seed (42)

import { parseArgs } from 'node:util';
import { readStoredList, recomputeAll } from '../lib/recommendations/index.ts';
import { type Metrics, popularityRecommender, topKMetrics } from './metrics.ts';
import { type RatingSet, readMoviesCsv, readRatingsCsv } from './rating-set.ts';
import { splitPerUser } from './split-ratings.ts';
import { syntheticRatings } from './synthetic-ratings.ts';
import {
  createScratchDatabase,
  fillDatabase,
  type MovieInfo,
  openMigrated,
} from './training-database.ts';

const { values } = parseArgs({
  options: {
    ratings: { type: 'string' },
    movies: { type: 'string' },
    synthetic: { type: 'string' },
    postgres: { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});

async function input(): Promise<{ set: RatingSet; movies: MovieInfo; label: string }> {
  if (values.ratings) {
    const movies = values.movies ? await readMoviesCsv(values.movies) : new Map();
    return { set: await readRatingsCsv(values.ratings), movies, label: values.ratings };
  }
  const count = Number(values.synthetic ?? 100_000);
  const data = syntheticRatings({ ratings: count });
  const movies: MovieInfo = new Map(
    [...data.genres].map(([id, genres]) => [id, { title: `Movie ${id}`, genres }]),
  );
  return { set: data.ratings, movies, label: `synthetic, ${count} ratings` };
}

const show = (name: string, m: Metrics) =>
  `${name.padEnd(12)} precision@10 ${m.precision.toFixed(3)}  recall@10 ${m.recall.toFixed(3)}  hit rate ${m.hitRate.toFixed(3)}`;

const started = performance.now();
const { set, movies, label } = await input();
const split = splitPerUser(set, { seed: Number(values.seed) });
const scratch = await createScratchDatabase(values.postgres);
const db = await openMigrated(scratch.url);
try {
  await fillDatabase(db, split.train, movies);
  const trained = performance.now();
  const phases: string[] = [];
  let phase = '';
  let phaseStart = trained;
  const result = await recomputeAll(db, {
    onProgress: (progress) => {
      if (progress.phase === phase) return;
      const now = performance.now();
      if (phase) phases.push(`${phase} ${((now - phaseStart) / 1000).toFixed(2)} s`);
      phase = progress.phase;
      phaseStart = now;
    },
  });
  phases.push(`${phase} ${((performance.now() - phaseStart) / 1000).toFixed(2)} s`);
  const recomputeMs = performance.now() - trained;
  const lists = new Map<number, number[]>();
  for (const user of split.test.keys()) {
    lists.set(
      user,
      (await readStoredList(db, user, 10)).map((item) => item.movie.id),
    );
  }
  const knn = topKMetrics(split.test, (user) => lists.get(user) ?? []);
  const popularity = topKMetrics(split.test, popularityRecommender(split.train));
  console.log(
    `${label}: ${set.length} ratings, ${split.train.length} for training, ${knn.users} users evaluated (${db.dialect})`,
  );
  console.log(show('item kNN', knn));
  console.log(show('popularity', popularity));
  console.log(`phases: ${phases.join(', ')}`);
  console.log(
    `recompute ${(recomputeMs / 1000).toFixed(2)} s (${result.movies} movies, ${result.users} users, ${result.coldStartUsers} cold start); total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await db.close();
  await scratch.drop();
}
