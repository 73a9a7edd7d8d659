// GET /api/pets/{petId} on the petstore: specstack against a hand-written Fastify 5 +
// better-sqlite3 server doing the same work (validated integer id, prepared SELECT, response
// schema), measured in the same run on the same data. Request logging is off on both sides.
//
//   npm run bench -- [--seconds 5] [--connections 10]

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createApp } from '../src/app.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PETS = 1000;

async function load(url: string): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          path: `/api/pets/${1 + Math.floor(Math.random() * PETS)}`,
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function baseline(filename: string) {
  const sqlite = new BetterSqlite3(filename, { readonly: true });
  const select = sqlite.prepare('SELECT id, name, tag FROM pets WHERE id = ?');
  const fastify = Fastify({ logger: false });
  fastify.get(
    '/api/pets/:petId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['petId'],
          properties: { petId: { type: 'integer', minimum: 1 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['id', 'name'],
            properties: {
              id: { type: 'integer' },
              name: { type: 'string' },
              tag: { type: 'string' },
            },
          },
        },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const row = select.get((request.params as { petId: number }).petId);
      if (!row) return reply.code(404).send({ code: 404, message: 'not found' });
      return row;
    },
  );
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  const close = async () => {
    await fastify.close();
    sqlite.close();
  };
  return { url, close };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-bench-'));
  try {
    cpSync(path.resolve(import.meta.dirname, '../examples/petstore'), path.join(dir, 'app'), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}data`),
    });
    const filename = path.join(dir, 'bench.db');
    const app = await createApp({
      appDir: path.join(dir, 'app'),
      env: {},
      overrides: {
        port: 0,
        databaseUrl: `sqlite:${filename}`,
        autoMigrate: true,
        logLevel: 'silent',
      },
    });
    const pets = app.db.repository('Pet');
    for (let i = 1; i <= PETS; i++)
      await pets.insert({ name: `pet ${i}`, tag: i % 2 ? 'odd' : 'even' });
    const specstackUrl = await app.listen();
    const hand = await baseline(filename);

    console.log(
      `GET /api/pets/{petId}: ${SECONDS}s per run, ${CONNECTIONS} connections, ${PETS} pets`,
    );
    // Warm both (JIT, statement caches), then measure baseline, specstack, baseline.
    await Promise.all([load(hand.url), load(specstackUrl)].map((p) => p.catch(() => undefined)));
    const first = await load(hand.url);
    const measured = await load(specstackUrl);
    const second = await load(hand.url);
    const reference = (first.rps + second.rps) / 2;
    const row = (name: string, r: { rps: number; p99: number; errors: number }) =>
      console.log(
        `${name.padEnd(26)} ${r.rps.toFixed(0).padStart(8)} req/s   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}`,
      );
    row('hand-written (before)', first);
    row('specstack', measured);
    row('hand-written (after)', second);
    console.log(`specstack / hand-written: ${(measured.rps / reference).toFixed(2)}`);
    await hand.close();
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
