// The HTTP server's connection limit (SPECSTACK_CONNECTION_TIMEOUT): a connection that goes silent
// is closed about that long after its last byte, whatever Node's keep-alive timeout says, and one
// that keeps talking is not.

import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepInterval } from '../../src/http/node-server.ts';
import { type RunningApp, startApp } from '../support/app-server.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const TIMEOUT_MS = 400;

/** A raw connection to the server, with its answers' bytes and whether the server closed it. */
async function connect(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk;
  });
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now())),
  );
  return {
    socket,
    closed,
    isOpen: () => !socket.destroyed && socket.readyState === 'open',
    answers: () => received.split('HTTP/1.1 200').length - 1,
    get: () => socket.write('GET /health/live HTTP/1.1\r\nhost: localhost\r\n\r\n'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('silent connections', () => {
  let server: RunningApp;

  beforeAll(async () => {
    server = await startApp(PETSTORE, 'sqlite::memory:', { connectionTimeout: TIMEOUT_MS });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sweeps a quarter of the limit apart, within 10 ms and 5 s', () => {
    expect(sweepInterval(400)).toBe(100);
    expect(sweepInterval(120_000)).toBe(5000);
    expect(sweepInterval(8)).toBe(10);
  });

  it('closes a kept-alive connection that goes silent after its answer, near the limit', async () => {
    const client = await connect(server.url);
    client.get();
    await sleep(150);
    expect(client.answers()).toBe(1);
    const lastByte = performance.now();
    // Fastify keeps idle connections alive for 72 s: only the connection limit closes this one.
    const closedAt = await client.closed;
    expect(closedAt - lastByte).toBeGreaterThanOrEqual(TIMEOUT_MS - 150);
    expect(closedAt - lastByte).toBeLessThan(TIMEOUT_MS + 2 * sweepInterval(TIMEOUT_MS) + 1000);
  });

  it('keeps a connection open while it sends a request every 100 ms, past the limit', async () => {
    const client = await connect(server.url);
    for (let i = 0; i < 10; i += 1) {
      client.get();
      await sleep(100);
    }
    expect(client.isOpen()).toBe(true);
    expect(client.answers()).toBe(10);
    client.socket.destroy();
  });

  it('closes a connection that opens and never sends a byte', async () => {
    const client = await connect(server.url);
    await client.closed;
    expect(client.answers()).toBe(0);
  });
});
