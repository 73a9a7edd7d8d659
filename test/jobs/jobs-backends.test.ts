// The jobs API's guarantees, one suite over every backend: embedded on SQLite and PostgreSQL, and
// BullMQ on Redis.

import { expect, it } from 'vitest';
import { checkSchedule } from '../../src/jobs/scheduler.ts';
import { describeEachBackend, eventually, sleep } from './support/backends.ts';

describeEachBackend('jobs', (ctx) => {
  it('runs each job once with two competing workers', async () => {
    const runs: string[] = [];
    const definition = {
      name: 'count',
      concurrency: 4,
      async handler({ id }: { id: string }) {
        runs.push(id);
        await sleep(5);
        return id;
      },
    };
    const first = await ctx.open([definition]);
    const second = await ctx.open([definition]);
    const ids = [];
    for (let i = 0; i < 40; i += 1) ids.push((await first.jobs.enqueue('count', { i })).id);
    const workers = [first.jobs.startWorker(), second.jobs.startWorker()];
    await eventually(
      async () => (await first.jobs.backend.queues(['count']))[0]!.counts.completed === 40,
      { what: '40 completed jobs' },
    );
    await Promise.all(workers.map((worker) => worker.close(1000)));
    expect(runs.sort()).toEqual([...ids].sort());
    expect(new Set(runs).size).toBe(40);
  });

  it('retries a failing job with backoff until it succeeds, and reports progress and result', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const { jobs } = await ctx.open([
      {
        name: 'flaky',
        attempts: 3,
        backoff: { type: 'fixed', delay: 300 },
        async handler({ attempt, progress }) {
          attempts.push({ attempt, at: Date.now() });
          await progress({ step: attempt });
          if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
          return { ok: true };
        },
      },
    ]);
    const worker = jobs.startWorker();
    const { id } = await jobs.enqueue('flaky', { x: 1 });
    const job = await eventually(async () => {
      const found = await jobs.backend.getJob(id);
      return found?.state === 'completed' ? found : undefined;
    });
    await worker.close(1000);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Fixed 300 ms with ±20% jitter between attempts.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(230);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(230);
    expect(job.result).toEqual({ ok: true });
    expect(job.payload).toEqual({ x: 1 });
    expect(job.attemptsMade).toBe(3);
  });

  it('keeps a job past its attempts as failed, with its error and stack, and retries it on demand', async () => {
    let fail = true;
    const { jobs } = await ctx.open([
      {
        name: 'doomed',
        attempts: 2,
        backoff: { type: 'fixed', delay: 10 },
        handler: function doomedHandler() {
          if (fail) throw new Error('the mail server said no');
          return 'sent';
        },
      },
    ]);
    const worker = jobs.startWorker();
    const { id } = await jobs.enqueue('doomed', { to: 'a@b.c' });
    const failed = await eventually(async () => {
      const found = await jobs.backend.getJob(id);
      return found?.state === 'failed' ? found : undefined;
    });
    expect(failed.error).toBe('the mail server said no');
    expect(failed.stack).toContain('doomedHandler');
    expect(failed.attemptsMade).toBe(2);
    expect((await jobs.backend.listJobs({ state: 'failed', limit: 10 })).map((j) => j.id)).toEqual([
      id,
    ]);
    fail = false;
    expect(await jobs.backend.retry(id)).toBe(true);
    const done = await eventually(async () => {
      const found = await jobs.backend.getJob(id);
      return found?.state === 'completed' ? found : undefined;
    });
    expect(done.result).toBe('sent');
    await worker.close(1000);
  });

  it('makes enqueue idempotent with a jobId', async () => {
    let runs = 0;
    const { jobs } = await ctx.open([{ name: 'once', handler: () => ++runs }]);
    const first = await jobs.enqueue('once', { n: 1 }, { jobId: 'user:42:welcome' });
    const second = await jobs.enqueue('once', { n: 2 }, { jobId: 'user:42:welcome' });
    expect(first.deduplicated).toBe(false);
    expect(second).toEqual({ id: first.id, deduplicated: true });
    const worker = jobs.startWorker();
    await eventually(async () => (await jobs.backend.getJob(first.id))?.state === 'completed');
    const third = await jobs.enqueue('once', { n: 3 }, { jobId: 'user:42:welcome' });
    expect(third).toEqual({ id: first.id, deduplicated: true });
    await sleep(200);
    await worker.close(1000);
    expect(runs).toBe(1);
  });

  it('debounces: one job while not started, a new one once it has started', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const payloads: unknown[] = [];
    const { jobs } = await ctx.open([
      {
        name: 'refresh',
        async handler({ payload }) {
          payloads.push(payload);
          await gate;
        },
      },
    ]);
    const ids = new Set<string>();
    for (let i = 0; i < 10; i += 1) {
      ids.add(
        (await jobs.enqueue('refresh', { i }, { debounce: { id: 'user-7', delay: 200 } })).id,
      );
    }
    expect(ids.size).toBe(1);
    const [firstId] = ids;
    const worker = jobs.startWorker();
    await eventually(async () => (await jobs.backend.getJob(firstId!))?.state === 'active');
    const during = await jobs.enqueue(
      'refresh',
      { i: 'during' },
      { debounce: { id: 'user-7', delay: 50 } },
    );
    expect(during.deduplicated).toBe(false);
    expect(during.id).not.toBe(firstId);
    release();
    await eventually(async () => (await jobs.backend.getJob(during.id))?.state === 'completed');
    await worker.close(1000);
    expect(payloads).toEqual([{ i: 0 }, { i: 'during' }]);
  });

  it('fires a schedule exactly once per tick with two processes running', async () => {
    const runs: string[] = [];
    const definition = {
      name: 'every-second',
      schedule: { cron: '* * * * * *' },
      handler: ({ id }: { id: string }) => {
        runs.push(id);
        return 'tick';
      },
    };
    const first = await ctx.open([definition]);
    const second = await ctx.open([definition]);
    const workers = [first.jobs.startWorker(), second.jobs.startWorker()];
    await sleep(3600);
    await Promise.all(workers.map((worker) => worker.close(1000)));
    const jobs = await first.jobs.backend.listJobs({ name: 'every-second', limit: 100 });
    // Ticks from the first fully watched one on: the schedule starts with the next tick after start.
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.length).toBeLessThanOrEqual(4);
    const schedules = first.jobs.schedules();
    expect(schedules[0]).toMatchObject({ name: 'every-second', cron: '* * * * * *' });
    expect(Date.parse(schedules[0]!.nextRun!)).toBeGreaterThan(Date.now() - 1000);
    // One job per tick, each run once by one of the two processes.
    expect(new Set(jobs.map((job) => job.id)).size).toBe(jobs.length);
    // The last tick's job may have been added just as the workers stopped claiming.
    const completed = jobs.filter((job) => job.state === 'completed');
    expect(jobs.length - completed.length).toBeLessThanOrEqual(1);
    expect(runs.sort()).toEqual(completed.map((job) => job.id).sort());
  });

  it('runs a tick missed while everything was down once, or skips it, as the job declares', async () => {
    const runOnce = { name: 'nightly', schedule: { cron: '0 3 * * *' }, handler: () => 1 };
    const skip = {
      name: 'hourly',
      schedule: { cron: '0 * * * *', missed: 'skip' as const },
      handler: () => 1,
    };
    const { jobs } = await ctx.open([runOnce, skip]);
    const day = 24 * 60 * 60 * 1000;
    const start = Date.parse('2026-01-01T00:30:00Z');
    const options = { store: jobs.backend.schedules, enqueue: jobs.enqueue };
    // First sight: both schedules note their next tick and run nothing.
    await checkSchedule(jobs.registry.get('nightly')!, options, start);
    await checkSchedule(jobs.registry.get('hourly')!, options, start);
    // Three days later, everything having been down.
    await checkSchedule(jobs.registry.get('nightly')!, options, start + 3 * day);
    await checkSchedule(jobs.registry.get('hourly')!, options, start + 3 * day);
    await checkSchedule(jobs.registry.get('nightly')!, options, start + 3 * day + 1000);
    expect(await jobs.backend.listJobs({ name: 'nightly', limit: 10 })).toHaveLength(1);
    expect(await jobs.backend.listJobs({ name: 'hourly', limit: 10 })).toHaveLength(0);
    // A tick noticed on time runs whatever the policy.
    const nextHour = (await jobs.backend.schedules.read('hourly'))!.nextTick;
    await checkSchedule(jobs.registry.get('hourly')!, options, nextHour + 500);
    expect(await jobs.backend.listJobs({ name: 'hourly', limit: 10 })).toHaveLength(1);
  });

  it('lets running jobs finish on shutdown, and releases those past the grace period', async () => {
    const { jobs } = await ctx.open([
      {
        name: 'short',
        async handler() {
          await sleep(300);
          return 'finished';
        },
      },
      {
        name: 'stubborn',
        attempts: 1,
        async handler() {
          await sleep(60_000);
        },
      },
    ]);
    const short = await jobs.enqueue('short');
    const stubborn = await jobs.enqueue('stubborn');
    const worker = jobs.startWorker();
    await eventually(async () => (await jobs.backend.getJob(stubborn.id))?.state === 'active');
    await eventually(async () => (await jobs.backend.getJob(short.id))?.state === 'active');
    const started = Date.now();
    await worker.close(800);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await jobs.backend.getJob(short.id))?.state).toBe('completed');
    // Not failed although it had a single attempt: it goes back to be run again.
    const released = await jobs.backend.getJob(stubborn.id);
    expect(['waiting', 'delayed']).toContain(released?.state);
    expect(released?.attemptsMade).toBe(0);
  });

  it('fails an attempt past its timeout and aborts its signal', async () => {
    let aborted = false;
    const { jobs } = await ctx.open([
      {
        name: 'slowpoke',
        attempts: 1,
        timeout: 100,
        async handler({ signal }) {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          await sleep(2000);
        },
      },
    ]);
    const worker = jobs.startWorker();
    const { id } = await jobs.enqueue('slowpoke');
    const failed = await eventually(async () => {
      const found = await jobs.backend.getJob(id);
      return found?.state === 'failed' ? found : undefined;
    });
    await worker.close(100);
    expect(failed.error).toMatch(/timeout of 100 ms/);
    expect(aborted).toBe(true);
  });

  it('pauses and resumes a queue, and removes a job', async () => {
    let runs = 0;
    const { jobs } = await ctx.open([{ name: 'pausable', handler: () => ++runs }]);
    await jobs.backend.setPaused('pausable', true);
    const worker = jobs.startWorker();
    const { id } = await jobs.enqueue('pausable');
    const other = await jobs.enqueue('pausable');
    await sleep(300);
    expect(runs).toBe(0);
    expect((await jobs.backend.queues(['pausable']))[0]).toMatchObject({ paused: true });
    expect(await jobs.backend.remove(other.id)).toBe(true);
    expect(await jobs.backend.getJob(other.id)).toBeUndefined();
    await jobs.backend.setPaused('pausable', false);
    await eventually(async () => (await jobs.backend.getJob(id))?.state === 'completed');
    await worker.close(1000);
    expect(runs).toBe(1);
  });

  it('enqueues with a delay and in priority order', async () => {
    const order: number[] = [];
    const { jobs } = await ctx.open([
      { name: 'ordered', handler: ({ payload }) => order.push((payload as { n: number }).n) },
    ]);
    const delayed = await jobs.enqueue('ordered', { n: 0 }, { delay: 60_000 });
    await jobs.enqueue('ordered', { n: 3 }, { priority: 3 });
    await jobs.enqueue('ordered', { n: 1 }, { priority: 1 });
    await jobs.enqueue('ordered', { n: 2 }, { priority: 2 });
    expect((await jobs.backend.getJob(delayed.id))?.state).toBe('delayed');
    const worker = jobs.startWorker();
    await eventually(() => order.length === 3);
    await worker.close(1000);
    expect(order).toEqual([1, 2, 3]);
    expect((await jobs.backend.queues(['ordered']))[0]!.counts).toMatchObject({
      delayed: 1,
      completed: 3,
    });
  });

  it('lets a job enqueue another', async () => {
    const { jobs } = await ctx.open([
      {
        name: 'parent',
        async handler({ jobs: client, payload }) {
          return (await client.enqueue('child', { from: payload })).id;
        },
      },
      { name: 'child', handler: ({ payload }) => ({ got: payload }) },
    ]);
    const worker = jobs.startWorker();
    const { id } = await jobs.enqueue('parent', 'hello');
    const parent = await eventually(async () => {
      const found = await jobs.backend.getJob(id);
      return found?.state === 'completed' ? found : undefined;
    });
    const child = await eventually(async () => {
      const found = await jobs.backend.getJob(parent.result as string);
      return found?.state === 'completed' ? found : undefined;
    });
    await worker.close(1000);
    expect(child.result).toEqual({ got: { from: 'hello' } });
  });

  it('refuses to enqueue a job the app does not define', async () => {
    const { jobs } = await ctx.open([{ name: 'known', handler: () => 1 }]);
    await expect(jobs.enqueue('unknown')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_JOB_UNKNOWN',
    });
  });
});
