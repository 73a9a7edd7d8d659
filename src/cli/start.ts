// `specstack start` serves an app, refusing to while migrations are pending (unless
// SPECSTACK_AUTO_MIGRATE=1). It shuts down gracefully on SIGTERM and SIGINT.

import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { Command } from 'commander';
import type { App } from '../app.ts';
import { reportError } from './report-error.ts';

interface StartOptions {
  app: string;
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
  closeWithGrace(
    { delay: app.config.shutdownTimeout + app.config.jobsGrace },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an uncaught error');
      else
        log.info(`${signal} received: finishing in-flight requests and running jobs, then closing`);
      await app.close();
    },
  );
  const url = await app.listen();
  log.info(
    `serving ${app.spec.file} at ${url} (docs at ${url}/docs, database ${app.db.displayUrl})`,
  );
  if (app.config.environment !== 'production' && app.config.autoMigrate) await warnOfDrift(app);
}

export function startCommand(): Command {
  return new Command('start')
    .description('serve the app (refuses to start while migrations are pending)')
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .action(async (options: StartOptions) => {
      try {
        await serve(options);
      } catch (error) {
        reportError(error);
      }
    });
}
