// The movies suite: specstack's movies example (its search and its recommendation reads) against
// handwritten-*.ts, both on a copy of the same filled database; parity wants equal bodies.

import path from 'node:path';
import type { Suite } from '../runner/suite.ts';
import { MOVIES, RATINGS } from './catalogue.ts';
import { MOVIES_APP, moviesDatabases } from './movies-databases.ts';
import { JWT_SECRET, logIn, moviesRoutes, SEARCH_WORDS } from './routes.ts';

/** Up to `count` items spread evenly over the list, first and last included. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from(
    { length: count },
    (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!,
  );
}

export const moviesSuite: Suite = {
  name: 'movies',
  served: {
    app: MOVIES_APP,
    handwritten: {
      sqlite: path.join(import.meta.dirname, 'handwritten-sqlite.ts'),
      postgres: path.join(import.meta.dirname, 'handwritten-postgres.ts'),
    },
    readyPath: '/api/movies/1/similar',
    env: { JWT_SECRET },
  },
  data: { movies: MOVIES, ratings: RATINGS },
  // Every search word, and popular to obscure movies and users: the same rows, in the same order.
  parity: { probes: (route) => spread(route.paths, SEARCH_WORDS.length), sameBodies: true },
  async prepare(dialect, postgresUrl) {
    const { databases, lists } = await moviesDatabases(dialect, postgresUrl);
    return {
      databases,
      routes: async (specstackUrl) => moviesRoutes(lists, await logIn(specstackUrl)),
    };
  },
};
