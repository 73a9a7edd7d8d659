// Rate limits for the operations whose spec declares `x-rate-limit` (see rate-limit-spec.ts),
// built on @fastify/rate-limit: in memory by default, in Redis when REDIS_URL is set so that
// every instance of the app counts together. Operations without it get no hook at all.

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '../../config.ts';
import { RATE_LIMITED } from '../../errors.ts';
import type { Operation } from '../operations.ts';
import { type RateLimitRule, rateLimitRuleOf } from './rate-limit-spec.ts';

export type RouteHooks = Pick<RouteOptions, 'preHandler' | 'onResponse'>;

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

function tooMany(reply: FastifyReply, seconds: number) {
  reply.header('retry-after', String(Math.max(1, seconds)));
  return RATE_LIMITED(`too many requests; retry in ${Math.max(1, seconds)} s`);
}

/** The account an attempt is for, as the body names it; case and spaces do not make a new one. */
function accountOf(request: FastifyRequest, field: string): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

function hooksFor(fastify: FastifyInstance, operation: Operation, rule: RateLimitRule): RouteHooks {
  const perAddress = fastify.createRateLimit({
    max: rule.max,
    timeWindow: rule.windowMs,
    keyGenerator: (request) => `${operation.name}:ip:${request.ip}`,
  });
  const failures = rule.failures;
  let perAccount: Limiter | undefined;
  if (failures) {
    perAccount = fastify.createRateLimit({
      max: failures.max,
      timeWindow: rule.windowMs,
      keyGenerator: (request) => `${operation.name}:account:${accountOf(request, failures.field)}`,
    });
  }
  return {
    // After validation, so the account is read from a parsed, valid body.
    async preHandler(request, reply) {
      const address = await perAddress(request);
      if (!address.isAllowed && address.isExceeded) throw tooMany(reply, address.ttlInSeconds);
      if (!perAccount || !failures || accountOf(request, failures.field) === undefined) return;
      const account = await perAccount(request, { increment: false });
      if (!account.isAllowed && account.remaining === 0 && account.ttl > 0) {
        throw tooMany(reply, account.ttlInSeconds);
      }
    },
    // Only failed attempts count against an account: its owner can still sign in.
    async onResponse(request, reply) {
      if (
        perAccount &&
        failures &&
        reply.statusCode === 401 &&
        accountOf(request, failures.field)
      ) {
        await perAccount(request);
      }
    },
  };
}

/**
 * Registers the plugin when some operation declares a limit, and returns the hooks of each such
 * operation by name. The Redis store fails open (skipOnError): a Redis outage must not lock every
 * user out; the per-process timeouts and the database keep working.
 */
export async function registerRateLimits(
  fastify: FastifyInstance,
  operations: readonly Operation[],
  config: Config,
): Promise<Map<string, RouteHooks>> {
  const rules = operations
    .map((operation) => [operation, rateLimitRuleOf(operation)] as const)
    .filter((entry): entry is readonly [Operation, RateLimitRule] => entry[1] !== undefined);
  const hooks = new Map<string, RouteHooks>();
  if (rules.length === 0 || !config.rateLimits) return hooks;
  // Loaded only for a shared store: a server without REDIS_URL never loads ioredis.
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, {
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
      })
    : undefined;
  if (redis) {
    redis.on('error', (error) => fastify.log.warn({ err: error }, 'rate-limit store unreachable'));
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  await fastify.register(rateLimit, {
    global: false,
    skipOnError: true,
    ...(redis ? { redis, nameSpace: `${config.jobsPrefix}:rate-limit:` } : {}),
  });
  for (const [operation, rule] of rules)
    hooks.set(operation.name, hooksFor(fastify, operation, rule));
  return hooks;
}
