// The Prometheus registry of a server with metrics on (metrics.ts): loaded only then, so a server
// without metrics never loads prom-client.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../db/database.ts';
import type { StatementKind } from '../../db/query-timing.ts';
import type { Jobs } from '../../jobs/create-jobs.ts';

export function buildRegistry(fastify: FastifyInstance, jobs: Jobs, db: Database): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'specstack_' });
  const labelNames = ['operation', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'specstack_http_requests_total',
    help: 'HTTP requests answered',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'specstack_http_request_duration_seconds',
    help: 'Time from request to answer',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const labels = {
      // The operation, or the route pattern: never the raw URL, whose ids would explode the series.
      operation:
        request.routeOptions.config.specstack?.operation.name ??
        request.routeOptions.url ??
        'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  new Gauge({
    name: 'specstack_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const queues = await jobs.backend.queues([...jobs.registry.keys()]).catch(() => []);
      for (const queue of queues) {
        for (const [state, count] of Object.entries(queue.counts))
          this.set({ queue: queue.name, state }, count);
      }
    },
  });
  databaseMetrics(registry, db);
  new Histogram({
    name: 'specstack_db_ping_seconds',
    help: 'Round trip of a trivial database query, measured at each scrape',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
    async collect() {
      const started = process.hrtime.bigint();
      await db.ping().catch(() => {});
      this.observe(Number(process.hrtime.bigint() - started) / 1e9);
    },
  });
  return registry;
}

/** Statement durations by dialect and kind; on PostgreSQL, the pool's connections. */
function databaseMetrics(registry: Registry, db: Database): void {
  const queries = new Histogram({
    name: 'specstack_db_query_duration_seconds',
    help: 'Time the database took for a statement of a repository (auto-CRUD and handlers), by kind',
    labelNames: ['dialect', 'statement', 'outcome'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  // One child per label set, looked up once: a statement then costs a map read and an observe.
  const children = new Map<string, ReturnType<typeof queries.labels>>();
  db.observeQueries((kind: StatementKind, seconds: number, failed: boolean) => {
    const key = `${kind}:${failed}`;
    let child = children.get(key);
    if (!child) {
      child = queries.labels(db.dialect, kind, failed ? 'error' : 'ok');
      children.set(key, child);
    }
    child.observe(seconds);
  });
  if (db.client.dialect !== 'postgres') return;
  const pool = db.client.pool;
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    'specstack_db_pool_connections',
    'Connections the PostgreSQL pool holds',
    () => pool.totalCount,
  );
  gauge('specstack_db_pool_idle', 'Pooled connections not in use', () => pool.idleCount);
  gauge(
    'specstack_db_pool_waiting',
    'Queries and transactions waiting for a pooled connection',
    () => pool.waitingCount,
  );
  gauge('specstack_db_pool_max', 'The most connections the pool opens', () => pool.options.max);
}
