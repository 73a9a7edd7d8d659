// The handler time limit on both dialects, with a real slow handler: past SPECSTACK_HANDLER_TIMEOUT
// the client gets 503 with Retry-After in the spec's error shape, the log has a warning naming the
// operation and request id, and what the handler wrote in its transaction is not in the database.

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/apps/slow-handlers');
const LIMIT_MS = 300;

describeEachDialect('the handler time limit', (ctx) => {
  let server: RunningApp;

  beforeAll(async () => {
    server = await startFixtureApp(FIXTURE, await ctx.createDatabaseUrl(), {
      handlerTimeout: LIMIT_MS,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const texts = async (list: string) =>
    (await request(server.url, 'GET', `/api/${list}`)).body.map(
      (row: { text: string }) => row.text,
    );

  /** The outcome the handler records once its transaction has ended, however it ended. */
  async function outcomeOf(text: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const found = (await texts('outcomes')).find((outcome: string) =>
        outcome.startsWith(`${text}: `),
      );
      if (found) return found.slice(text.length + 2);
      await sleep(50);
    }
    return undefined;
  }

  it('answers a handler that outlasts the limit with 503, Retry-After and the spec error shape', async () => {
    const response = await request(server.url, 'POST', '/api/notes/slow', {
      json: { text: 'stuck', waitMs: LIMIT_MS * 3 },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body).toEqual({
      code: 503,
      message: `the request took longer than ${LIMIT_MS} ms, the server's limit; retry later`,
    });
    const requestId = response.headers.get('x-request-id');
    expect(
      server.logs.some(
        (line) =>
          line.level === 40 && line.operation === 'writeSlowly' && line.requestId === requestId,
      ),
    ).toBe(true);
  });

  it('rolls back what the handler wrote before the limit and refuses what it writes after', async () => {
    await request(server.url, 'POST', '/api/notes/slow', {
      json: { text: 'late', waitMs: LIMIT_MS * 3 },
    });
    // The handler wrote a note, slept past the limit, then tried a second write on its transaction.
    expect(await outcomeOf('late')).toBe('SPECSTACK_ERR_HANDLER_TIMEOUT, signal aborted: true');
    const notes = await texts('notes');
    expect(notes.filter((note: string) => note.startsWith('late'))).toEqual([]);
  });

  it('hands the handler a signal that stops its work when the limit passes', async () => {
    const response = await request(server.url, 'POST', '/api/notes/slow', {
      json: { text: 'cooperative', waitMs: 60_000, cooperative: true },
    });
    expect(response.status).toBe(503);
    expect(await outcomeOf('cooperative')).toBe(
      'SPECSTACK_ERR_HANDLER_TIMEOUT, signal aborted: true',
    );
    expect((await texts('notes')).filter((note: string) => note.startsWith('cooperative'))).toEqual(
      [],
    );
  });

  it('hands an aborted signal to a handler that first looks at it after the limit', async () => {
    const response = await request(server.url, 'POST', '/api/notes/slow', {
      json: { text: 'unaware', waitMs: LIMIT_MS * 2, lookLate: true },
    });
    expect(response.status).toBe(503);
    expect(await outcomeOf('unaware')).toBe('SPECSTACK_ERR_HANDLER_TIMEOUT, signal aborted: true');
  });

  it('commits a handler that finishes within the limit', async () => {
    const response = await request(server.url, 'POST', '/api/notes/slow', {
      json: { text: 'quick', waitMs: 0 },
    });
    expect(response.status).toBe(201);
    expect(await outcomeOf('quick')).toBe('committed');
    expect((await texts('notes')).filter((note: string) => note.startsWith('quick'))).toEqual([
      'quick: before',
      'quick: after',
    ]);
  });

  it('times each of several overlapping runs from its own start', async () => {
    const slow = (text: string) => {
      const started = performance.now();
      return request(server.url, 'POST', '/api/notes/slow', {
        json: { text, waitMs: LIMIT_MS * 4 },
      }).then((response) => ({ status: response.status, ms: performance.now() - started }));
    };
    const first = slow('overlap-1');
    await sleep(LIMIT_MS / 2);
    const second = slow('overlap-2');
    for (const run of await Promise.all([first, second])) {
      expect(run.status).toBe(503);
      // Not before its own limit, and well before the handler itself would have finished.
      expect(run.ms).toBeGreaterThanOrEqual(LIMIT_MS - 20);
      expect(run.ms).toBeLessThan(LIMIT_MS * 4);
    }
  });
});
