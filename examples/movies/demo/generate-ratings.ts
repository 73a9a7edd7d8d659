// Writes ratings.csv beside movies.csv: synthetic users whose tastes cluster by genre, with
// long-tailed popularity and activity, as real rating data has. Deterministic: the same seed
// writes the same file. Run: npx tsx examples/movies/demo/generate-ratings.ts

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { normal as gaussian, prng } from '../evaluation/random.ts';

const SEED = 20_261_127;
const USERS = 400;
const here = import.meta.dirname;

const random = prng(SEED);
const normal = gaussian(random);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

interface Movie {
  id: number;
  genres: string[];
  popularity: number;
  quality: number;
}

function readMovies(): Movie[] {
  const records = parse(readFileSync(path.join(here, 'movies.csv')), { columns: true }) as {
    movieId: string;
    genres: string;
  }[];
  // Popularity follows a Zipf law over a random order of the movies: a few are rated by many.
  const order = shuffle(records.map((_, i) => i));
  const rank = new Map(order.map((index, position) => [index, position]));
  return records.map((record, i) => ({
    id: Number(record.movieId),
    genres: record.genres === '(no genres listed)' ? [] : record.genres.split('|'),
    popularity: 1 / (rank.get(i)! + 8) ** 1.1,
    quality: normal(),
  }));
}

interface User {
  id: number;
  likes: Set<string>;
  dislikes: Set<string>;
  bias: number;
  activity: number;
  start: number;
}

function makeUser(id: number, genres: string[]): User {
  const likes = new Set<string>();
  const wanted = 1 + Math.floor(random() * 3);
  while (likes.size < wanted) likes.add(pick(genres));
  let dislike = pick(genres);
  while (likes.has(dislike)) dislike = pick(genres);
  return {
    id,
    likes,
    dislikes: new Set([dislike]),
    bias: normal() * 0.35,
    // Log-normal activity: most users rate a dozen or two, a few rate a couple of hundred.
    activity: Math.min(220, 8 + Math.floor(14 * Math.exp(normal() * 0.9))),
    start: Date.UTC(2015, 0, 1) / 1000 + Math.floor(random() * 8 * 365 * 86_400),
  };
}

const affinity = (user: User, movie: Movie) => ({
  liked: movie.genres.some((g) => user.likes.has(g)),
  disliked: movie.genres.some((g) => user.dislikes.has(g)),
});

function chooseMovies(user: User, movies: Movie[]): Movie[] {
  const weights = movies.map((movie) => {
    const { liked, disliked } = affinity(user, movie);
    return movie.popularity * (liked ? 5 : 1) * (disliked ? 0.25 : 1);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const chosen = new Set<Movie>();
  while (chosen.size < Math.min(user.activity, movies.length)) {
    let target = random() * total;
    let i = 0;
    while (target > weights[i]! && i < movies.length - 1) target -= weights[i++]!;
    chosen.add(movies[i]!);
  }
  return [...chosen].sort((a, b) => a.id - b.id);
}

function rate(user: User, movie: Movie): number {
  const { liked, disliked } = affinity(user, movie);
  const score =
    3.3 +
    user.bias +
    (liked ? 0.9 : 0) -
    (disliked ? 1.0 : 0) +
    0.45 * movie.quality +
    normal() * 0.6;
  return Math.min(5, Math.max(0.5, Math.round(score * 2) / 2));
}

function main(): void {
  const movies = readMovies();
  const genres = [...new Set(movies.flatMap((m) => m.genres))].filter((g) => g !== 'IMAX');
  const lines = ['userId,movieId,rating,timestamp'];
  for (let id = 1; id <= USERS; id += 1) {
    const user = makeUser(id, genres);
    let time = user.start;
    for (const movie of chooseMovies(user, movies)) {
      time += 60 + Math.floor(random() * 86_400);
      lines.push(`${user.id},${movie.id},${rate(user, movie)},${time}`);
    }
  }
  writeFileSync(path.join(here, 'ratings.csv'), `${lines.join('\n')}\n`);
  process.stdout.write(`wrote ${lines.length - 1} ratings by ${USERS} users\n`);
}

main();
