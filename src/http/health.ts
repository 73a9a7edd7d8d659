// Liveness and readiness for orchestrators: live means the process answers, ready means it can
// reach its database, and Redis too when jobs run on BullMQ.

import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import type { Jobs } from '../jobs/create-jobs.ts';

export function registerHealth(fastify: FastifyInstance, db: Database, jobs?: Jobs): void {
  fastify.get('/health/live', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  fastify.get('/health/ready', { logLevel: 'warn' }, async (request, reply) => {
    const [database, queue] = await Promise.all([
      db.ping().then(
        () => 'ok' as const,
        (error: unknown) => {
          request.log.warn({ err: error }, 'readiness check failed: database unreachable');
          return 'unreachable' as const;
        },
      ),
      jobs?.backend.kind === 'bullmq'
        ? jobs.backend.ping().then(
            () => 'ok' as const,
            (error: unknown) => {
              request.log.warn({ err: error }, 'readiness check failed: Redis unreachable');
              return 'unreachable' as const;
            },
          )
        : undefined,
    ]);
    const body = { database, ...(queue ? { redis: queue } : {}) };
    if (database === 'ok' && (queue === undefined || queue === 'ok'))
      return { status: 'ok', ...body };
    return reply.code(503).send({ status: 'unavailable', ...body });
  });
}
