// Deterministic synthetic movies for the search and movies benchmarks: titles and descriptions
// from a few dozen common words (some accented) and a long tail of made-up names drawn by a Zipf
// law, so that common words match thousands of rows and rare ones a handful, as in MovieLens.

import { prng } from '../examples/movies/evaluation/random.ts';

const ADJECTIVES =
  'dark silent lost last golden broken hidden wild secret final eternal crimson frozen burning little great strange lonely brave forgotten'.split(
    ' ',
  );
const NOUNS =
  'night river summer house road winter shadow city dream stone king queen empire garden storm island mountain ocean forest mirror bridge kingdom heart war journey legend matrix ring lord star café émigré cité château fiancée'.split(
    ' ',
  );
const VERBS = 'finds loses fights chases escapes discovers remembers betrays saves follows'.split(
  ' ',
);
const PEOPLE =
  'a detective a soldier a young girl an old man a stranger two brothers a hacker a thief a widow a doctor'.split(
    ' ',
  );
const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi', 'Thriller', 'Western'];

// Two letters each, so no two names are spelled alike, with or without their accents.
const SYLLABLES = 'ka lo mé ri sa vo né tu za bé do fi ra lu mi pé so gi no ré'.split(' ');
const NAME_COUNT = 2000;

/** The name of popularity rank `rank` (0 the commonest): two or three syllables, capitalized. */
export function nameOf(rank: number): string {
  const parts: string[] = [];
  for (let n = rank + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length)) {
    parts.push(SYLLABLES[n % SYLLABLES.length]!);
  }
  const name = parts.join('');
  return `${name[0]!.toUpperCase()}${name.slice(1)}`;
}

/** Zipf with exponent 1 over the names: rank r is drawn 1/(r + 1) as often as rank 0. */
const CUMULATIVE = (() => {
  const cumulative = new Float64Array(NAME_COUNT);
  let total = 0;
  for (let rank = 0; rank < NAME_COUNT; rank += 1) {
    total += 1 / (rank + 1);
    cumulative[rank] = total;
  }
  return cumulative;
})();

function drawName(random: () => number): string {
  const x = random() * CUMULATIVE[NAME_COUNT - 1]!;
  let lo = 0;
  let hi = NAME_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return nameOf(lo);
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

export interface SyntheticMovie {
  title: string;
  description: string;
  year: number;
  genres: string[];
}

/** Synthetic movie number i (from 1): the same movie every time. */
export function syntheticMovie(i: number): SyntheticMovie {
  const a = pick(ADJECTIVES, i * 7);
  const n1 = pick(NOUNS, i * 13 + 1);
  const n2 = pick(NOUNS, i * 3 + 5);
  const name = drawName(prng(i));
  const shape = i % 5;
  const base =
    shape === 0
      ? `The ${a} ${n1}`
      : shape === 1
        ? `${n1} of the ${n2}`
        : shape === 2
          ? `${a} ${n1} of ${name}`
          : shape === 3
            ? `The ${n1} ${n2}`
            : `${name} and the ${a} ${n2}`;
  const title = `${base[0]!.toUpperCase()}${base.slice(1)}${i % 11 === 0 ? ` ${2 + (i % 4)}` : ''}`;
  const description = `${pick(PEOPLE, i)} ${pick(VERBS, i * 5)} the ${pick(ADJECTIVES, i * 11)} ${pick(NOUNS, i * 17)} near the ${pick(NOUNS, i * 19 + 2)}.`;
  const genres = [pick(GENRES, i), pick(GENRES, i * 3 + 1)].filter(
    (g, k, all) => all.indexOf(g) === k,
  );
  return { title, description, year: 1920 + (i % 100), genres };
}
