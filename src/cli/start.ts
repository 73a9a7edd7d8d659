// `specstack start` serves an app; `specstack dev` does the same and applies pending migrations
// first. Both shut down gracefully on SIGTERM and SIGINT.

import closeWithGrace from 'close-with-grace';
import { Command } from 'commander';
import { createApp } from '../app.ts';
import { reportError } from './report-error.ts';

interface StartOptions {
  app: string;
}

async function serve(options: StartOptions, autoMigrate: boolean): Promise<void> {
  const app = await createApp({
    appDir: options.app,
    ...(autoMigrate ? { overrides: { autoMigrate: true } } : {}),
  });
  const log = app.server.log;
  closeWithGrace({ delay: app.config.shutdownTimeout }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an uncaught error');
    else log.info(`${signal} received: finishing in-flight requests, then closing`);
    await app.close();
  });
  const url = await app.listen();
  log.info(
    `serving ${app.spec.file} at ${url} (docs at ${url}/docs, database ${app.db.displayUrl})`,
  );
}

function serveCommand(name: string, description: string, autoMigrate: boolean): Command {
  return new Command(name)
    .description(description)
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .action(async (options: StartOptions) => {
      try {
        await serve(options, autoMigrate);
      } catch (error) {
        reportError(error);
        process.exitCode = 1;
      }
    });
}

export function startCommand(): Command {
  return serveCommand(
    'start',
    'serve the app (refuses to start while migrations are pending)',
    false,
  );
}

export function devCommand(): Command {
  return serveCommand('dev', 'serve the app, applying pending migrations first', true);
}
