// A SQLite database that stops taking writes (a read-only file or mount, a full disk: here the
// app's own connection is switched to query_only, which fails writes with SQLITE_READONLY as a
// read-only file does): writes get 503 in the spec's Error shape, the log names the cause,
// nothing is half-written, reads go on, and writes work again once the file does.

import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');

describeEachDialect(
  'a SQLite file that refuses writes',
  (ctx) => {
    let server: RunningApp;
    let connection: BetterSqlite3.Database;

    beforeAll(async () => {
      server = await startApp(PETSTORE, await ctx.createDatabaseUrl());
      connection = (server.app.db.drizzle as unknown as { $client: BetterSqlite3.Database })
        .$client;
    });
    afterAll(async () => {
      await server?.close();
    });

    it('answers writes 503 with a clear log line, keeps reads, and recovers', async () => {
      const first = await request(server.url, 'POST', '/api/pets', { json: { name: 'before' } });
      expect(first.status).toBe(201);
      connection.pragma('query_only = ON');
      const refused = await request(server.url, 'POST', '/api/pets', { json: { name: 'during' } });
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({
        code: 503,
        message: 'the database file is read-only (SQLITE_READONLY)',
      });
      expect(
        server.logs.some(
          (line) => line.level === 50 && JSON.stringify(line).includes('SQLITE_READONLY'),
        ),
      ).toBe(true);
      const list = await request(server.url, 'GET', '/api/pets?limit=100');
      expect(list.status).toBe(200);
      expect(list.body.map((pet: { name: string }) => pet.name)).toEqual(['before']);
      connection.pragma('query_only = OFF');
      const after = await request(server.url, 'POST', '/api/pets', { json: { name: 'after' } });
      expect(after.status).toBe(201);
    });
  },
  ['sqlite'],
);
