// Finds an app's jobs: the default export of each module in its jobs/ folder, named by the
// definition or, failing that, by the module's file name (jobs/welcome-email.ts -> welcome-email).

import path from 'node:path';
import { Cron } from 'croner';
import { appModuleFiles, importAppModule } from '../app-module.ts';
import { JOB_INVALID } from '../errors.ts';
import type { JobDefinition } from './job-types.ts';

const JOB_NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;

/** A job definition with its name settled. */
export type NamedJob = JobDefinition<unknown, unknown> & { name: string; source: string };

export type JobRegistry = ReadonlyMap<string, NamedJob>;

function checkDefinition(job: NamedJob): void {
  const fail = (why: string) => {
    throw JOB_INVALID(`${job.source}: ${why}`, { pointer: job.source });
  };
  if (!JOB_NAME.test(job.name)) {
    fail(`job name ${JSON.stringify(job.name)} must be letters, digits, '.', '_' or '-'`);
  }
  if (typeof job.handler !== 'function') fail('the default export has no handler function');
  for (const key of ['attempts', 'concurrency', 'timeout'] as const) {
    const value = job[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      fail(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
    }
  }
  if (job.schedule) {
    try {
      new Cron(job.schedule.cron, { paused: true, timezone: job.schedule.timezone });
    } catch (error) {
      fail(`schedule.cron ${JSON.stringify(job.schedule.cron)}: ${(error as Error).message}`);
    }
  }
}

/** Builds a registry from definitions given in code (tests, benchmarks). */
export function jobRegistry(jobs: readonly (JobDefinition<never, unknown> & { name: string })[]) {
  const registry = new Map<string, NamedJob>();
  for (const job of jobs) {
    const named = { ...(job as JobDefinition), name: job.name, source: `job ${job.name}` };
    checkDefinition(named);
    if (registry.has(named.name)) {
      throw JOB_INVALID(`two jobs are named ${JSON.stringify(named.name)}`);
    }
    registry.set(named.name, named);
  }
  return registry as JobRegistry;
}

/** The modules of the jobs folder, relative to it; none when the folder does not exist. */
export const jobModuleFiles = (jobsDir: string) => appModuleFiles(jobsDir, { recursive: false });

/** Imports every module of the jobs folder; none when the folder does not exist. */
export async function loadJobs(jobsDir: string): Promise<JobRegistry> {
  const registry = new Map<string, NamedJob>();
  for (const file of jobModuleFiles(jobsDir)) {
    const source = `jobs/${file}`;
    const module = await importAppModule(path.join(jobsDir, file));
    const definition = module.default as JobDefinition | undefined;
    if (typeof definition !== 'object' || definition === null) {
      throw JOB_INVALID(`${source} has no default export: export default defineJob({ … })`, {
        pointer: source,
      });
    }
    const name = definition.name ?? file.slice(0, -path.extname(file).length);
    const job: NamedJob = { ...definition, name, source };
    checkDefinition(job);
    const other = registry.get(name);
    if (other) {
      throw JOB_INVALID(`${source} and ${other.source} are both named ${JSON.stringify(name)}`, {
        pointer: source,
      });
    }
    registry.set(name, job);
  }
  return registry;
}
