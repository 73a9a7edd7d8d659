// `node --import tsx examples/movies/evaluation/write-synthetic.ts --ratings 100000 --out DIR`:
// writes the synthetic long-tailed set as MovieLens files (movies.csv, ratings.csv), for the seed
// and for evaluate --ratings.

import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticRatings } from './synthetic-ratings.ts';

const { values } = parseArgs({
  options: {
    ratings: { type: 'string', default: '100000' },
    out: { type: 'string', default: '.' },
    seed: { type: 'string', default: '17' },
  },
});
const data = syntheticRatings({ ratings: Number(values.ratings), seed: Number(values.seed) });
mkdirSync(values.out, { recursive: true });
const movies = ['movieId,title,genres'];
for (const [id, genres] of data.genres) {
  movies.push(
    `${id},Movie ${id} (${1950 + (id % 70)}),${genres.join('|') || '(no genres listed)'}`,
  );
}
writeFileSync(path.join(values.out, 'movies.csv'), `${movies.join('\n')}\n`);
const out = createWriteStream(path.join(values.out, 'ratings.csv'));
out.write('userId,movieId,rating,timestamp\n');
const { users, movies: ids, ratings, length } = data.ratings;
for (let k = 0; k < length; k += 1) {
  out.write(`${users[k]},${ids[k]},${ratings[k]!.toFixed(1)},${1_500_000_000 + k}\n`);
}
out.end();
await new Promise<void>((resolve) => out.on('finish', () => resolve()));
console.log(
  `${length} ratings by ${users[length - 1]} users of ${data.genres.size} movies in ${values.out}`,
);
