// `specstack worker` runs an app's jobs and schedules without serving HTTP: start as many as the
// work needs, on as many machines as share the database (embedded) or Redis (BullMQ). SIGTERM
// stops claiming, lets running jobs finish within SPECSTACK_JOBS_GRACE, and releases the rest.

import closeWithGrace from 'close-with-grace';
import { Command } from 'commander';
import { reportError } from './report-error.ts';

interface WorkerOptions {
  app: string;
  queue?: string[];
}

async function work(options: WorkerOptions): Promise<void> {
  // Loaded here, not at the top: every other command starts faster without the server's modules.
  const { createApp } = await import('../app.ts');
  const app = await createApp({ appDir: options.app, workers: false });
  const log = app.server.log;
  const names = options.queue ?? [...app.jobs.registry.keys()];
  for (const name of names) {
    if (!app.jobs.registry.has(name)) {
      await app.close();
      throw new Error(
        `--queue ${name}: the app defines no such job (${[...app.jobs.registry.keys()].join(', ') || 'none'})`,
      );
    }
  }
  const worker = app.jobs.startWorker({ queues: names });
  closeWithGrace(
    { delay: app.config.jobsGrace + app.config.shutdownTimeout },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an uncaught error');
      else log.info(`${signal} received: finishing running jobs, then closing`);
      await worker.close(app.config.jobsGrace);
      await app.close();
    },
  );
  log.info(
    `worker ${process.pid} running ${names.join(', ') || 'no jobs'} on the ${app.jobs.backend.kind} backend (database ${app.db.displayUrl})`,
  );
}

export function workerCommand(): Command {
  return new Command('worker')
    .description("run the app's background jobs and schedules (no HTTP)")
    .option('--app <dir>', 'the app folder (holds openapi.yaml and jobs/)', process.cwd())
    .option('--queue <names...>', 'only these jobs (default: all)')
    .action(async (options: WorkerOptions) => {
      try {
        await work(options);
      } catch (error) {
        reportError(error);
      }
    });
}
