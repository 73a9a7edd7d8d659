// Fires each job's cron schedule once per tick across every process, on either backend. Each
// process looks every second; the tick's job gets a deterministic jobId (`schedule:NAME:<tick ISO>`)
// so racing processes add it once, and the stored next tick only moves by compare-and-set. A tick
// older than MISSED_AFTER when first seen was missed (every process was down): the job's `missed`
// policy says whether it runs once or not at all.

import { Cron } from 'croner';
import type { FastifyBaseLogger } from 'fastify';
import type { EnqueueOptions, EnqueueResult } from './job-types.ts';
import type { ScheduleStore } from './jobs-backend.ts';
import type { JobRegistry, NamedJob } from './load-jobs.ts';

/** A due tick seen later than this was missed rather than merely noticed a poll late. */
export const MISSED_AFTER = 30_000;
/** Ticks examined when catching up after downtime (a per-second cron down for a day stops here). */
const MAX_CATCH_UP = 10_000;

export interface SchedulerOptions {
  registry: JobRegistry;
  store: ScheduleStore;
  enqueue(name: string, payload: unknown, options: EnqueueOptions): Promise<EnqueueResult>;
  log: FastifyBaseLogger;
  /** How often due ticks are looked for, in ms. */
  interval: number;
}

export interface ScheduleInfo {
  name: string;
  cron: string;
  timezone?: string;
  missed: 'run-once' | 'skip';
  /** ISO 8601, or undefined when the expression never fires again. */
  nextRun?: string;
}

function cronOf(job: NamedJob): Cron {
  const { cron, timezone } = job.schedule!;
  return new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
}

/** Every schedule of the registry with its next run from now. */
export function listSchedules(registry: JobRegistry, now = new Date()): ScheduleInfo[] {
  return [...registry.values()]
    .filter((job) => job.schedule)
    .map((job) => {
      const next = cronOf(job).nextRun(now);
      return {
        name: job.name,
        cron: job.schedule!.cron,
        ...(job.schedule!.timezone ? { timezone: job.schedule!.timezone } : {}),
        missed: job.schedule!.missed ?? 'run-once',
        ...(next ? { nextRun: next.toISOString() } : {}),
      };
    });
}

/** The latest tick at or before `now`, starting from the stored `from` (itself a tick). */
function latestDue(cron: Cron, from: number, now: number): number {
  let latest = from;
  for (let i = 0; i < MAX_CATCH_UP; i += 1) {
    const next = cron.nextRun(new Date(latest));
    if (!next || next.getTime() > now) break;
    latest = next.getTime();
  }
  return latest;
}

/** One look at one schedule: enqueue its due tick if any, then move its next tick on. */
export async function checkSchedule(
  job: NamedJob,
  options: Pick<SchedulerOptions, 'store' | 'enqueue'>,
  now: number,
): Promise<void> {
  const schedule = job.schedule!;
  const stored = await options.store.read(job.name);
  // Not due yet, the common case on every pass: no cron arithmetic (with a timezone, croner
  // builds an Intl.DateTimeFormat for each date it converts).
  if (stored && stored.cron === schedule.cron && now < stored.nextTick) return;
  const cron = cronOf(job);
  const upcoming = cron.nextRun(new Date(now))?.getTime();
  if (!stored || stored.cron !== schedule.cron) {
    // First sight (or a new expression): start from the next tick; nothing before it was due.
    if (upcoming !== undefined) {
      await options.store.advance(job.name, stored?.nextTick, upcoming, schedule.cron);
    }
    return;
  }
  const due = latestDue(cron, stored.nextTick, now);
  const onTime = now - due <= MISSED_AFTER;
  if (onTime || (schedule.missed ?? 'run-once') === 'run-once') {
    await options.enqueue(job.name, schedule.payload, {
      jobId: `schedule:${job.name}:${new Date(due).toISOString()}`,
    });
  }
  // Enqueued first (idempotent by jobId), then advanced: a process dying in between costs nothing.
  await options.store.advance(
    job.name,
    stored.nextTick,
    upcoming ?? Number.MAX_SAFE_INTEGER,
    schedule.cron,
  );
}

export function startScheduler(options: SchedulerOptions): { stop(): Promise<void> } {
  const scheduled = [...options.registry.values()].filter((job) => job.schedule);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    for (const job of scheduled) {
      try {
        await checkSchedule(job, options, Date.now());
      } catch (error) {
        options.log.error({ err: error, job: job.name }, 'checking a job schedule failed');
      }
    }
  };
  const loop = () => {
    running = pass().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.interval);
    });
  };
  if (scheduled.length > 0) loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
