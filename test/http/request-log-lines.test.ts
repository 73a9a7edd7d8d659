import path from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger, RequestLogLines } from '../../src/http/request-logger.ts';
import { request, startFixtureApp } from '../support/app-server.ts';

const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');

/** A Fastify app with specstack's request loggers, at `level`, and the lines it wrote. */
async function appAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const fastify = Fastify({
    loggerInstance: pino({ level }, sink),
    childLoggerFactory: lazyChildLogger,
    logController: new RequestLogLines(),
  });
  fastify.get('/ok', async () => ({ ok: true }));
  fastify.get(
    '/hook-fails',
    { onResponse: (_request, _reply, done) => done(new Error('hook failed')) },
    async () => ({ ok: true }),
  );
  await fastify.ready();
  return { fastify, lines, messages: () => lines.map((line) => line.msg) };
}

describe("Fastify's per-request log lines", () => {
  it('are written with the request id while info is on', async () => {
    const { fastify, lines, messages } = await appAt('info');
    await fastify.inject({ url: '/ok' });
    expect(messages()).toEqual(['incoming request', 'request completed']);
    expect(lines[1]).toMatchObject({ reqId: lines[0]!.reqId, res: { statusCode: 200 } });
    await fastify.close();
  });

  it('are not written while the level is warn', async () => {
    const { fastify, messages } = await appAt('warn');
    expect((await fastify.inject({ url: '/ok' })).statusCode).toBe(200);
    expect(messages()).toEqual([]);
    await fastify.close();
  });

  it('still report a request that errored, at error, while the level is warn', async () => {
    const { fastify, lines } = await appAt('warn');
    await fastify.inject({ url: '/hook-fails' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'request errored',
      err: { message: 'hook failed' },
    });
    await fastify.close();
  });
});

describe('a served app at warn, where Fastify is handed no logger', () => {
  it('logs a failed request at error with its request id, and nothing for requests that went well', async () => {
    const server = await startFixtureApp(SHOP, 'sqlite::memory:', { logLevel: 'warn' });
    try {
      const before = server.logs.length;
      const ok = await request(server.url, 'GET', '/v1/greet/ann?times=1', {
        headers: { 'x-request-id': 'fine-1', cookie: 'session=abc' },
      });
      expect(ok.status).toBe(200);
      expect(server.logs.slice(before)).toEqual([]);
      const failed = await request(server.url, 'GET', '/v1/boom', {
        headers: { 'x-request-id': 'boom-2' },
      });
      expect(failed.status).toBe(500);
      const lines = server.logs.slice(before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, reqId: 'boom-2', msg: 'request failed' });
      expect(JSON.stringify(lines[0])).toContain('kaboom');
    } finally {
      await server.close();
    }
  });
});
