// Hostile input against every operation of both examples, on every dialect: the corpus of
// hostile-corpus.ts sent as bodies, path parameters, query strings and credentials. Never a 5xx,
// never a stack or SQL text in an error body, and a refused request writes nothing.

import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listOperations, type Operation } from '../../../src/http/operations.ts';
import { type RunningApp, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { BODIES, type HostileRequest, hostileTokens, PARAMS, QUERIES } from './hostile-corpus.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');
const SECRET = 'hostile-input-secret-that-is-long-enough';
const AUDIENCE = 'hostile-input';
/** What an error body must never show: a stack, a source location, the database's own words. */
const LEAKS = /\n\s+at |node_modules|\.[jt]s:\d+|SQLITE_|syntax error|relation "|violates|near "/i;

async function rowCounts(databaseUrl: string, tables: readonly string[]): Promise<number[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Sqlite(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return tables.map(
        (t) => (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n,
      );
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts: number[] = [];
    for (const t of tables)
      counts.push(Number((await client.query(`select count(*) as n from "${t}"`)).rows[0].n));
    return counts;
  } finally {
    await client.end();
  }
}

function requestsFor(operation: Operation, tokens: HostileRequest[]): HostileRequest[] {
  const hasBody = operation.operation.requestBody !== undefined;
  const hasParams = operation.routePath.includes(':');
  return [
    ...(hasBody ? BODIES : []),
    ...(hasParams ? PARAMS : []),
    ...(operation.method === 'get' ? QUERIES : []),
    ...tokens,
  ];
}

for (const example of ['petstore', 'movies']) {
  describeEachDialect(`hostile input against the ${example} example`, (ctx) => {
    let server: RunningApp;
    let databaseUrl: string;
    let token: string | undefined;
    let operations: Operation[];
    let tables: string[];

    beforeAll(async () => {
      databaseUrl = await ctx.createDatabaseUrl();
      server = await startApp(path.join(EXAMPLES, example), databaseUrl, {
        jwtSecret: SECRET,
        jwtAudience: AUDIENCE,
        rateLimits: false,
      });
      operations = listOperations(server.app.spec.document, server.app.spec.file);
      tables = server.app.model.tables.map((table) => table.tableName);
      if (example === 'movies') {
        const user = { email: 'eve@example.com', name: 'Eve', password: 'correct horse battery' };
        await fetch(`${server.url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(user),
        });
        const login = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: user.email, password: user.password }),
        });
        token = ((await login.json()) as { access_token: string }).access_token;
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    it('answers every hostile request without a 5xx or a leak, and a refused one writes nothing', async () => {
      const tokens = await hostileTokens(SECRET, AUDIENCE);
      const failures: string[] = [];
      let sent = 0;
      for (const operation of operations) {
        for (const hostile of requestsFor(operation, tokens)) {
          const url = `${server.url}${operation.routePath.replace(/:[^/]+/g, hostile.param ?? '1')}${hostile.query ? `?${hostile.query}` : ''}`;
          const authorization = hostile.authorization ?? (token ? `Bearer ${token}` : undefined);
          const before = await rowCounts(databaseUrl, tables);
          const response = await fetch(url, {
            method: operation.method.toUpperCase(),
            headers: {
              ...(authorization ? { authorization } : {}),
              ...(hostile.body !== undefined
                ? { 'content-type': hostile.contentType ?? 'application/json' }
                : {}),
            },
            ...(hostile.body !== undefined ? { body: hostile.body } : {}),
          });
          const text = await response.text();
          sent++;
          const where = `${operation.method.toUpperCase()} ${operation.path} with ${hostile.title}`;
          if (response.status >= 500)
            failures.push(`${where}: ${response.status} ${text.slice(0, 200)}`);
          if (response.status >= 400 && LEAKS.test(text))
            failures.push(`${where}: leaks ${text.slice(0, 200)}`);
          if (response.status >= 400) {
            if (!/json/.test(response.headers.get('content-type') ?? '')) {
              failures.push(`${where}: ${response.status} is not JSON`);
            }
            const after = await rowCounts(databaseUrl, tables);
            if (after.join() !== before.join())
              failures.push(`${where}: refused with ${response.status} but wrote rows`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThan(100);
    }, 120_000);
  });
}
