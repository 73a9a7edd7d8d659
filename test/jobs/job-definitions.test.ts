// Job modules as an app writes them: names from file names, refusals with SPECSTACK_ERR_JOB_INVALID,
// the types defineJob gives a handler, and the backoff series.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineJob, type JobContext } from '../../src/index.ts';
import { loadJobs } from '../../src/jobs/load-jobs.ts';
import { retryDelay } from '../../src/jobs/retry-delay.ts';
import { useTempApps } from '../support/temp-apps.ts';

const { tempApp } = useTempApps();

function appWithJobs(files: Record<string, string>): string {
  const dir = tempApp('openapi: 3.1.0\n');
  mkdirSync(path.join(dir, 'jobs'));
  for (const [name, source] of Object.entries(files))
    writeFileSync(path.join(dir, 'jobs', name), source);
  return path.join(dir, 'jobs');
}

describe('job modules', () => {
  it('names a job after its file unless the definition names it', async () => {
    const registry = await loadJobs(
      appWithJobs({
        'welcome-email.ts': 'export default { handler: () => 1 };',
        'other.ts':
          "export default { name: 'renamed', handler: () => 2, schedule: { cron: '*/5 * * * *' } };",
      }),
    );
    expect([...registry.keys()].sort()).toEqual(['renamed', 'welcome-email']);
    expect(registry.get('renamed')?.source).toBe('jobs/other.ts');
  });

  it('has no jobs without a jobs folder', async () => {
    expect((await loadJobs('/nonexistent/jobs')).size).toBe(0);
  });

  it.each([
    [
      'a module without a default export',
      { 'a.ts': 'export const x = 1;' },
      /jobs\/a\.ts has no default export/,
    ],
    [
      'a definition without a handler',
      { 'b.ts': 'export default { attempts: 2 };' },
      /no handler function/,
    ],
    [
      'a bad cron expression',
      { 'c.ts': "export default { handler() {}, schedule: { cron: 'every day' } };" },
      /schedule\.cron "every day"/,
    ],
    [
      'zero attempts',
      { 'd.ts': 'export default { handler() {}, attempts: 0 };' },
      /attempts must be a positive integer/,
    ],
    [
      'two jobs with one name',
      {
        'e.ts': "export default { name: 'x', handler() {} };",
        'f.ts': "export default { name: 'x', handler() {} };",
      },
      /both named "x"/,
    ],
  ])('refuses %s with SPECSTACK_ERR_JOB_INVALID', async (_, files, message) => {
    const error = await loadJobs(appWithJobs(files)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'SPECSTACK_ERR_JOB_INVALID',
      message: expect.stringMatching(message),
    });
  });

  it('types the handler context from the payload type', () => {
    const job = defineJob<{ userId: number }, { sent: boolean }>({
      handler: (context) => {
        expectTypeOf(context).toEqualTypeOf<JobContext<{ userId: number }>>();
        expectTypeOf(context.payload.userId).toBeNumber();
        return { sent: true };
      },
    });
    expectTypeOf(job.handler).returns.toEqualTypeOf<
      Promise<{ sent: boolean }> | { sent: boolean }
    >();
  });
});

describe('retry delays', () => {
  it('doubles exponential delays and keeps fixed ones, within ±20% jitter', () => {
    const low = () => 0;
    const high = () => 1;
    expect(
      [1, 2, 3, 4].map((attempt) => retryDelay({ type: 'exponential', delay: 1000 }, attempt, low)),
    ).toEqual([800, 1600, 3200, 6400]);
    expect(
      [1, 2, 3].map((attempt) => retryDelay({ type: 'exponential', delay: 1000 }, attempt, high)),
    ).toEqual([1200, 2400, 4800]);
    expect(
      [1, 5].map((attempt) => retryDelay({ type: 'fixed', delay: 500 }, attempt, () => 0.5)),
    ).toEqual([500, 500]);
    expect(retryDelay({ type: 'exponential', delay: 1000 }, 60, () => 0.5)).toBe(
      24 * 60 * 60 * 1000,
    );
  });
});
