// The benchmark's hand-written movies server must keep answering like specstack's movies example,
// row for row: the runner refuses to measure otherwise. Both servers run as the runner starts
// them, on SQLite, over the suite's own data.

import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moviesSuite } from '../../bench/movies/movies-suite.ts';
import { sqliteFile } from '../../bench/runner/databases.ts';
import { checkParity, firstDifference } from '../../bench/runner/parity.ts';
import { type RunningServer, startServer } from '../../bench/runner/servers.ts';
import type { PreparedDialect, Route } from '../../bench/runner/suite.ts';

describe('the benchmark movies servers', () => {
  let prepared: PreparedDialect;
  const servers: RunningServer[] = [];
  let routes: Route[];

  beforeAll(async () => {
    prepared = await moviesSuite.prepare('sqlite', '');
    for (const kind of ['specstack', 'handwritten'] as const) {
      servers.push(
        await startServer({
          kind,
          served: moviesSuite.served,
          dialect: 'sqlite',
          database: prepared.databases[kind],
        }),
      );
    }
    routes = await prepared.routes(servers[0]!.url);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await prepared?.databases.drop();
  });

  it('draw every request from rows that answer it', () => {
    const [search, similar, recommendations] = routes.map((route) => route.paths.length);
    expect(search).toBe(8);
    // Most of the 9,000 rated movies have neighbours; every rating user has a list.
    expect(similar).toBeGreaterThan(5000);
    expect(recommendations).toBeGreaterThan(1000);
  });

  it('answer searches, neighbours and recommendations with the same rows in the same order', async () => {
    const [specstack, handwritten] = servers;
    await expect(
      checkParity(specstack!.url, handwritten!.url, routes, moviesSuite.parity),
    ).resolves.toBeUndefined();
  });

  it('catch a search whose rows come back in another order', async () => {
    const [specstack, handwritten] = servers;
    // A movie titled exactly "Dark" ranks first on the baseline's copy of the data only.
    const sqlite = new BetterSqlite3(sqliteFile(prepared.databases.handwritten.url));
    const [, second] = sqlite
      .prepare("SELECT rowid FROM movies_search WHERE movies_search MATCH 'dark' ORDER BY rowid")
      .pluck()
      .all() as number[];
    sqlite.prepare("UPDATE movies SET title = 'Dark' WHERE id = ?").run(second);
    sqlite.close();
    await expect(
      checkParity(specstack!.url, handwritten!.url, routes, moviesSuite.parity),
    ).rejects.toThrow(/q=dark.*bodies differ at \[0\]\.id/);
  });
});

describe('firstDifference', () => {
  it('names the first path at which two answers differ', () => {
    expect(firstDifference([{ id: 1, genres: ['A'] }], [{ id: 1, genres: ['B'] }])).toBe(
      '[0].genres[0]: "A" / "B"',
    );
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toBe('.a[1]: 2 / undefined');
    expect(firstDifference({ a: null }, { a: null })).toBeUndefined();
  });
});
