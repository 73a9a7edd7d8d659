// `specstack jobs list|run|retry`: look at and drive an app's jobs from a terminal, on whichever
// backend the environment selects.

import { Command } from 'commander';
import type { App } from '../app.ts';
import { JOB_FAILED, JOB_NOT_FOUND, VALIDATION } from '../errors.ts';
import type { JobRecord } from '../jobs/jobs-backend.ts';
import { reportError } from './report-error.ts';

interface AppOption {
  app: string;
}

async function withApp(options: AppOption, work: (app: App) => Promise<void>): Promise<void> {
  try {
    // Loaded here, not at the top: every other command starts faster without the server's modules.
    const { createApp } = await import('../app.ts');
    const app = await createApp({
      appDir: options.app,
      workers: false,
      overrides: { logLevel: 'warn' },
    });
    try {
      await work(app);
    } finally {
      await app.close();
    }
  } catch (error) {
    reportError(error);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((value, column) => value.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function list(app: App): Promise<void> {
  const queues = await app.jobs.backend.queues([...app.jobs.registry.keys()]);
  const schedules = new Map(app.jobs.schedules().map((schedule) => [schedule.name, schedule]));
  const rows = [
    ['queue', 'waiting', 'delayed', 'active', 'completed', 'failed', 'paused', 'next run'],
  ];
  for (const queue of queues) {
    const { counts } = queue;
    rows.push([
      queue.name,
      String(counts.waiting),
      String(counts.delayed),
      String(counts.active),
      String(counts.completed),
      String(counts.failed),
      queue.paused ? 'yes' : 'no',
      schedules.get(queue.name)?.nextRun ?? '',
    ]);
  }
  process.stdout.write(`${app.jobs.backend.kind} backend\n${table(rows)}\n`);
}

function parsePayload(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw VALIDATION(`--payload is not JSON: ${(error as Error).message}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the job until it ends, printing each new progress value; returns its final record. */
async function waitFor(app: App, id: string): Promise<JobRecord> {
  let shown = '';
  for (;;) {
    const job = await app.jobs.backend.getJob(id);
    if (!job) throw JOB_NOT_FOUND(`job ${id} disappeared while waiting for it`);
    const progress = job.progress === undefined ? '' : JSON.stringify(job.progress);
    if (progress !== shown) {
      process.stdout.write(`progress ${progress}\n`);
      shown = progress;
    }
    if (job.state === 'completed' || job.state === 'failed') return job;
    await sleep(200);
  }
}

async function run(
  app: App,
  name: string,
  options: { payload?: string; wait?: boolean },
): Promise<void> {
  const { id } = await app.jobs.enqueue(name, parsePayload(options.payload));
  process.stdout.write(`enqueued ${name} ${id}\n`);
  if (!options.wait) return;
  // A worker of its own on this one queue: the job runs even when no server or worker is up, and
  // whichever process claims it first runs it (claims are atomic).
  const worker = app.jobs.startWorker({ queues: [name] });
  let job: JobRecord;
  try {
    job = await waitFor(app, id);
  } finally {
    await worker.close(app.config.jobsGrace);
  }
  if (job.state === 'failed') {
    throw JOB_FAILED(`${name} ${id} failed after ${job.attemptsMade} attempt(s): ${job.error}`);
  }
  process.stdout.write(`completed ${JSON.stringify(job.result ?? null)}\n`);
}

export function jobsCommand(): Command {
  const jobs = new Command('jobs').description("look at and drive the app's background jobs");
  jobs
    .command('list')
    .description('queues with their jobs counted by state, and the next run of each schedule')
    .option('--app <dir>', 'the app folder', process.cwd())
    .action((options: AppOption) => withApp(options, list));
  jobs
    .command('run <name>')
    .description(
      'enqueue a job; with --wait, print its progress until it ends (exit 1 if it failed)',
    )
    .option('--app <dir>', 'the app folder', process.cwd())
    .option('--payload <json>', 'the job payload, as JSON')
    .option(
      '--wait',
      'wait for the job to finish, running it in this process unless a server or worker takes it first',
    )
    .action((name: string, options: AppOption & { payload?: string; wait?: boolean }) =>
      withApp(options, (app) => run(app, name, options)),
    );
  jobs
    .command('retry <id>')
    .description('run a failed job again, with fresh attempts')
    .option('--app <dir>', 'the app folder', process.cwd())
    .action((id: string, options: AppOption) =>
      withApp(options, async (app) => {
        if (!(await app.jobs.backend.retry(id))) throw JOB_NOT_FOUND(`no failed job ${id}`);
        process.stdout.write(`retrying ${id}\n`);
      }),
    );
  return jobs;
}
