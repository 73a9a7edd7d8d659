// What the runner (run.ts) needs of a suite: the app both servers serve, its databases per
// dialect, the routes to load and how strictly the two servers must agree. The petstore's is
// petstore-suite.ts, the movies' ../movies/movies-suite.ts.

import type { BenchDatabases, Dialect } from './databases.ts';

/** One measured request: plain data, so the load generator's process can be sent it. */
export interface Route {
  name: string;
  method: 'GET' | 'POST';
  /** Each request takes one of these at random (an existing id, a search word…). */
  paths: readonly string[];
  headers?: Readonly<Record<string, string>>;
  body?: string;
  status: number;
}

export const headersOf = (route: Route): Record<string, string> => ({
  ...route.headers,
  ...(route.body ? { 'content-type': 'application/json' } : {}),
});

/** How each server is started: specstack from its app folder, the baseline from its source. */
export interface ServedApp {
  /** `specstack start --app <app>`. */
  app: string;
  /** The hand-written server's source file, per dialect. */
  handwritten: Readonly<Record<Dialect, string>>;
  /** A GET that answers 200 once the server serves: the start is timed to it. */
  readyPath: string;
  /** Settings given to both servers (a JWT secret they share). */
  env?: Readonly<Record<string, string>>;
}

/** How strictly the two servers must agree before anything is measured (parity.ts). */
export interface ParityRules {
  /** The paths of a route asked of both servers. */
  probes(route: Route): readonly string[];
  /** Equal bodies and next-page links; otherwise the same body shape and a link or none. */
  sameBodies: boolean;
}

export interface PreparedDialect {
  databases: BenchDatabases;
  /** The routes to measure once both servers are up (a route may need a token from a login). */
  routes(specstackUrl: string): Promise<Route[]>;
}

export interface Suite {
  name: string;
  served: ServedApp;
  /** What the databases hold, for the table's heading and the JSON: `{ pets: 1000 }`. */
  data: Readonly<Record<string, number>>;
  parity: ParityRules;
  /** Creates and fills one database per server; the caller drops them. */
  prepare(dialect: Dialect, postgresUrl: string): Promise<PreparedDialect>;
}
