// Assembles an app from its folder: config, spec, model, database, handlers, server. The CLI's
// start and dev commands and the end-to-end tests all go through here.

import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type Config, loadConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open-database.ts';
import { waitForDatabase } from './db/wait-for-database.ts';
import { MIGRATIONS_PENDING } from './errors.ts';
import { createServer } from './http/create-server.ts';
import { loadHandlerModules } from './http/handler-modules.ts';
import { createJobs, type Jobs, type JobWorker, selectBackend } from './jobs/create-jobs.ts';
import { loadJobs } from './jobs/load-jobs.ts';
import { checkMigrations, migrateUp } from './migrate/apply-migrations.ts';
import { applyFrameworkMigrations } from './migrate/framework-migrations.ts';
import { deriveModel } from './model/derive-model.ts';
import type { ModelDescription } from './model/table-description.ts';
import { type LoadedSpec, loadSpec } from './spec/index.ts';

export interface CreateAppOptions {
  appDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Settings that win over the environment (tests use port 0). */
  overrides?: Partial<Config>;
  logger?: FastifyBaseLogger;
  /** Run job workers in this process; default config.startWorkers. */
  workers?: boolean;
}

export interface App {
  config: Config;
  spec: LoadedSpec;
  model: ModelDescription;
  db: Database;
  server: FastifyInstance;
  /** The app's jobs: enqueue, the backend (for the CLI and dashboard), workers. */
  jobs: Jobs;
  /** The in-process job worker, when this app runs one. */
  worker?: JobWorker;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:8000`. */
  listen(): Promise<string>;
  /**
   * Stops accepting requests and claiming jobs, lets in-flight requests and running jobs finish
   * (jobs within config.jobsGrace, then released for another worker), then closes the database.
   */
  close(): Promise<void>;
}

async function ensureMigrated(db: Database, config: Config, log: (message: string) => void) {
  // The framework's own tables (embedded jobs) go with every start: they belong to no app snapshot.
  for (const id of await applyFrameworkMigrations(db)) log(`applied framework migration ${id}`);
  // Refuses to serve when an applied migration file was edited: the schema may not match it.
  const pending = await checkMigrations(db, config.migrationsDir);
  if (pending.length === 0) return;
  if (!config.autoMigrate) {
    throw MIGRATIONS_PENDING(
      `${pending.length} migration(s) pending (${pending.join(', ')}): run \`specstack migrate up\`, or set SPECSTACK_AUTO_MIGRATE=1 to apply them at startup`,
    );
  }
  const { applied } = await migrateUp(db, config.migrationsDir);
  for (const id of applied) log(`applied migration ${id}`);
}

export async function createApp(options: CreateAppOptions = {}): Promise<App> {
  const config = loadConfig(options);
  const spec = await loadSpec(config.specPath);
  const model = deriveModel(spec.document, spec.file);
  const db = await openDatabase({ url: config.databaseUrl, model, baseDir: config.appDir });
  try {
    const handlers = await loadHandlerModules(config.handlersDir);
    const registry = await loadJobs(config.jobsDir);
    const backend = await selectBackend(config);
    let jobs!: Jobs;
    const server = await createServer({
      config,
      spec: spec as unknown as Parameters<typeof createServer>[0]['spec'],
      model,
      db,
      handlers,
      jobs: (log) => {
        jobs = createJobs({ config, db, registry, log, backend });
        return jobs;
      },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await waitForDatabase(db, {
      attempts: config.databaseConnectAttempts,
      onRetry: (message) => server.log.warn(message),
    });
    await ensureMigrated(db, config, (message) => server.log.info(message));
    const worker = (options.workers ?? config.startWorkers) ? jobs.startWorker() : undefined;
    return {
      config,
      spec,
      model,
      db,
      server,
      jobs,
      ...(worker ? { worker } : {}),
      async listen() {
        await server.listen({ port: config.port, host: config.host });
        const address = server.server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        return `http://${host}:${address.port}`;
      },
      async close() {
        try {
          await Promise.all([server.close(), worker?.close(config.jobsGrace)]);
          await jobs.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
