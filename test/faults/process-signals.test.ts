// Signals during a stream of writes, on every dialect, to `specstack start` serving the petstore:
// after a SIGKILL and a restart every pet whose creation was acknowledged with 2xx is there; on
// SIGTERM under load the answers are 2xx or 503, and the process exits 0 within the grace; a
// kept-alive connection idle at the signal is closed cleanly at once, and a request in flight
// finishes, told `connection: close`.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProcess } from '../support/app-process.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { missingPets, startPetWriters } from './pet-writers.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const WRITERS = 8;
const WRITE_FOR_MS = 1500;
/** Writes acknowledged before the signal, at the least: on a busy machine the writers run longer. */
const MIN_WRITES = 21;

/** Lets the writers run WRITE_FOR_MS, and on until MIN_WRITES are acknowledged (20 s at most). */
async function letWrite(writers: ReturnType<typeof startPetWriters>): Promise<void> {
  const started = Date.now();
  while (
    Date.now() - started < WRITE_FOR_MS ||
    (writers.acknowledged.length < MIN_WRITES && Date.now() - started < 20_000)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const SHUTDOWN_TIMEOUT_MS = 10_000;

describeEachDialect('signals during writes', (ctx) => {
  let appDir: string;
  let dataDir: string;
  let databaseUrl: string;
  const children: Array<ReturnType<typeof startProcess>> = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'specstack-kill-'));
    // A copy of the example with its own migrations: nothing is written into the repository.
    appDir = path.join(dataDir, 'app');
    cpSync(PETSTORE, appDir, {
      recursive: true,
      filter: (file) => !file.includes(`${path.sep}data`),
    });
    databaseUrl =
      ctx.dialect === 'sqlite'
        ? `sqlite:${path.join(dataDir, 'pets.db')}`
        : await ctx.createDatabaseUrl();
  });
  afterAll(() => {
    for (const app of children) app.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => {
    const app = startProcess(appDir, {
      DATABASE_URL: databaseUrl,
      SPECSTACK_AUTO_MIGRATE: '1',
      SPECSTACK_SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS),
    });
    children.push(app);
    return app;
  };

  it('keeps every acknowledged write after a SIGKILL and a restart', {
    timeout: 60_000,
  }, async () => {
    const first = start();
    const url = await first.listening;
    const writers = startPetWriters(url, WRITERS);
    await letWrite(writers);
    first.child.kill('SIGKILL');
    await first.exited;
    await writers.stop();
    expect(writers.acknowledged.length).toBeGreaterThan(20);

    const second = start();
    const again = await second.listening;
    expect(await missingPets(again, writers.acknowledged)).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('on SIGTERM under load answers only 2xx or 503, exits 0 within the grace, keeps every acknowledged write', {
    timeout: 60_000,
  }, async () => {
    const app = start();
    const url = await app.listening;
    const writers = startPetWriters(url, WRITERS);
    await letWrite(writers);
    const signalled = Date.now();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    await writers.stop();
    expect(writers.acknowledged.length).toBeGreaterThan(20);
    // Refused while closing: 503; never a 500. A request a writer sends on its kept-alive
    // connection at the moment the server closes that idle connection crosses the server's FIN
    // (ECONNRESET, UND_ERR_SOCKET: no answer), the race every HTTP/1.1 client must retry; once
    // closed: no listener (ECONNREFUSED). None of these was acknowledged, and every acknowledged
    // write is checked below.
    const connectionErrors = ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'];
    expect(writers.statuses.filter((status) => status !== 503)).toEqual([]);
    expect(writers.errors.filter((code) => !connectionErrors.includes(code))).toEqual([]);

    const again = start();
    expect(await missingPets(await again.listening, writers.acknowledged)).toEqual([]);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});

const SLOW_HANDLERS = path.resolve(import.meta.dirname, '../fixtures/apps/slow-handlers');

/**
 * A client that sent one request on a kept-alive connection and now holds it idle: how the
 * connection ends (`end`: the server closed it cleanly; `error`: reset), and in which order.
 */
async function idleKeptAliveConnection(url: string, ended: string[]) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const outcome = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    socket.on('end', () => {
      ended.push('idle connection');
      resolve('end');
    });
  });
  let received = '';
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk;
      if (/\r\n\r\n\[.*\]$/s.test(received)) resolve();
    });
  });
  socket.write(`GET /api/notes HTTP/1.1\r\nhost: ${hostname}\r\nconnection: keep-alive\r\n\r\n`);
  await answered;
  expect(received).toMatch(/^HTTP\/1\.1 200/);
  expect(received).toMatch(/connection: keep-alive/i);
  return outcome;
}

describeEachDialect('SIGTERM with kept-alive connections', (ctx) => {
  let fixture: Awaited<ReturnType<typeof prepareFixtureApp>>;
  beforeAll(async () => {
    fixture = await prepareFixtureApp(SLOW_HANDLERS);
  });
  afterAll(() => fixture?.remove());

  it('closes an idle kept-alive connection cleanly at once and lets the request in flight finish', {
    timeout: 60_000,
  }, async () => {
    const app = startProcess(fixture.dir, {
      DATABASE_URL: await ctx.createDatabaseUrl(),
      SPECSTACK_AUTO_MIGRATE: '1',
      SPECSTACK_SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS),
    });
    try {
      const url = await app.listening;
      const ended: string[] = [];
      const idle = idleKeptAliveConnection(url, ended);
      // Waits long enough to be in flight when the signal comes: the log says when it has begun.
      const inFlight = fetch(`${url}/api/notes/slow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'in flight', waitMs: 1500 }),
      }).then(async (response) => {
        ended.push('request in flight');
        return { status: response.status, connection: response.headers.get('connection') };
      });
      while (!app.lines.some((line) => line.includes('"url":"/api/notes/slow"'))) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      app.child.kill('SIGTERM');
      expect(await idle).toBe('end');
      expect(await inFlight).toEqual({ status: 201, connection: 'close' });
      // The idle connection did not wait for the request in flight.
      expect(ended).toEqual(['idle connection', 'request in flight']);
      expect(await app.exited).toBe(0);
    } finally {
      app.child.kill('SIGKILL');
    }
  });
});
