// `specstack start` serves an app, refusing to while migrations are pending (unless
// SPECSTACK_AUTO_MIGRATE=1). It shuts down gracefully on SIGTERM and SIGINT. With --workers N it
// serves from N processes sharing the port (node:cluster), supervised by start-cluster.ts.

import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { Command, InvalidArgumentError } from 'commander';
import type { App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { reportError } from './report-error.ts';

interface StartOptions {
  app: string;
  workers?: number;
}

/**
 * In development, a spec edited without a migration is the likeliest cause of odd errors: say so.
 * The check diffs with drizzle-kit, hundreds of MiB once imported: loaded only for it, after the
 * server listens, and never in production.
 */
async function warnOfDrift(app: App): Promise<void> {
  const { modelDrift } = await import('../migrate/migration-status.ts');
  const drift = await modelDrift(app.model, app.config.migrationsDir);
  if (Object.values(drift).some((statements) => statements.length > 0)) {
    app.server.log.warn(
      `${path.basename(app.spec.file)} changed the tables since the last migration: run \`specstack migrate make <name>\` to write the migration`,
    );
  }
}

async function serve(options: StartOptions): Promise<void> {
  // Loaded here, not at the top: every other command starts faster without the server's modules.
  const { createApp } = await import('../app.ts');
  const app = await createApp({ appDir: options.app });
  const log = app.server.log;
  // A worker leaves SIGINT to the primary, which relays it once as SIGTERM: Ctrl-C reaches every
  // process of the group, and a second signal would make close-with-grace give up.
  if (cluster.isWorker) process.on('SIGINT', () => {});
  closeWithGrace(
    {
      delay: app.config.shutdownTimeout + app.config.jobsGrace,
      ...(cluster.isWorker ? { skip: ['SIGINT'] } : {}),
    },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an uncaught error');
      else
        log.info(`${signal} received: finishing in-flight requests and running jobs, then closing`);
      await app.close();
    },
  );
  const url = await app.listen();
  // The first worker speaks for the cluster; the others only say that they serve too.
  const first = !cluster.isWorker || cluster.worker?.id === 1;
  if (cluster.isWorker) log.info(`worker ${process.pid} serving at ${url}`);
  if (first) {
    log.info(
      `serving ${app.spec.file} at ${url} (docs at ${url}/docs, database ${app.db.displayUrl}${options.workers ? `, ${options.workers} workers` : ''})`,
    );
  }
  process.send?.({ type: 'listening', url });
  if (first && app.config.environment !== 'production' && app.config.autoMigrate) {
    await warnOfDrift(app);
  }
}

function workerCount(value: string): number {
  if (value === 'auto') return availableParallelism();
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError('must be a positive integer or auto');
  }
  return count;
}

export function startCommand(): Command {
  return new Command('start')
    .description('serve the app (refuses to start while migrations are pending)')
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .option(
      '--workers <n>',
      'serve from n processes sharing the port (auto: one per core)',
      workerCount,
    )
    .action(async (options: StartOptions) => {
      try {
        if (options.workers && cluster.isPrimary) {
          const { superviseWorkers } = await import('./start-cluster.ts');
          await superviseWorkers(options.workers, loadConfig({ appDir: options.app }));
        } else {
          await serve(options);
        }
      } catch (error) {
        reportError(error);
        // A worker's IPC channel would keep it alive; the primary sees the exit and stops.
        if (cluster.isWorker) process.exit();
      }
    });
}
