// Liveness and readiness for orchestrators: live means the process answers, ready means it can
// reach its database too.

import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';

export function registerHealth(fastify: FastifyInstance, db: Database): void {
  fastify.get('/health/live', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  fastify.get('/health/ready', { logLevel: 'warn' }, async (request, reply) => {
    try {
      await db.ping();
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}
