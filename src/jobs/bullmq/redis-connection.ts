// Redis connections for the BullMQ backend. They reconnect forever with capped backoff, so a
// server started while Redis is down recovers without a restart; an outage is logged once when
// it starts and once when it ends, not on every reconnect attempt.

import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

export function createRedisConnection(
  url: string,
  log: FastifyBaseLogger,
  { failFast }: { failFast: boolean },
): Redis {
  const redis = new Redis(url, {
    // Workers block on Redis and must wait it out; a producer's command fails after one
    // reconnection attempt instead, so a request that enqueues answers 503 rather than hanging.
    maxRetriesPerRequest: failFast ? 1 : null,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, `Redis at ${new URL(url).host} is unreachable; reconnecting`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(`Redis at ${new URL(url).host} is reachable again`);
  });
  return redis;
}
