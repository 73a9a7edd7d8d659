// `specstack jobs list|run|retry` as a user runs them, beside a `specstack worker` process; and
// `jobs run --wait` alone, which runs the job in its own process.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_APP, type SpawnedProcess, spawnSpecstack } from '../jobs/support/job-processes.ts';
import { prepareFixtureApp } from '../support/app-server.ts';

describe('specstack jobs', () => {
  let fixture: { dir: string; remove(): void };
  let dataDir: string;
  let worker: SpawnedProcess;
  let env: Record<string, string>;

  const run = async (args: string[]) => {
    const cli = spawnSpecstack([...args, '--app', fixture.dir], env);
    const code = await cli.exited;
    return { code, output: cli.output() };
  };

  beforeAll(async () => {
    fixture = await prepareFixtureApp(JOBS_APP);
    dataDir = mkdtempSync(path.join(tmpdir(), 'specstack-data-'));
    env = {
      DATABASE_URL: `sqlite:${path.join(dataDir, 'app.db')}`,
      SPECSTACK_AUTO_MIGRATE: '1',
      SPECSTACK_JOBS_POLL_INTERVAL: '50',
    };
    worker = spawnSpecstack(['worker', '--app', fixture.dir], env);
    await worker.waitFor('running flaky, note-written, slow, tick on the embedded backend', 60_000);
  }, 90_000);
  afterAll(() => {
    worker?.child.kill('SIGKILL');
    fixture?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a job and, with --wait, prints its progress and result', {
    timeout: 60_000,
  }, async () => {
    const { code, output } = await run([
      'jobs',
      'run',
      'note-written',
      '--payload',
      '{"noteId":5}',
      '--wait',
    ]);
    expect(output).toMatch(/^enqueued note-written \S+$/m);
    expect(output).toContain('progress 50');
    expect(output).toContain('completed {"noteId":5}');
    expect(code).toBe(0);
  });

  it('exits non-zero with the error when the job fails, then retries it by id, and lists the queues', {
    timeout: 90_000,
  }, async () => {
    const failed = await run(['jobs', 'run', 'flaky', '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('error SPECSTACK_ERR_JOB_FAILED');
    expect(failed.output).toContain('flaky failed: the ok file does not say ok');
    const id = /^enqueued flaky (\S+)$/m.exec(failed.output)![1]!;

    const retried = await run(['jobs', 'retry', id]);
    expect(retried).toMatchObject({ code: 0, output: expect.stringContaining(`retrying ${id}`) });

    const listed = await run(['jobs', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(/^embedded backend$/m);
    expect(listed.output).toMatch(
      /^queue\s+waiting\s+delayed\s+active\s+completed\s+failed\s+paused\s+next run$/m,
    );
    expect(listed.output).toMatch(/^note-written\s+0\s+0\s+0\s+1\s+0\s+no$/m);
    expect(listed.output).toMatch(/^tick\s+0\s+0\s+0\s+0\s+0\s+no\s+\d{4}-12-31T23:00:00\.000Z$/m);
  });

  it('refuses an unknown job and a payload that is not JSON', { timeout: 60_000 }, async () => {
    const unknown = await run(['jobs', 'run', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('error SPECSTACK_ERR_JOB_UNKNOWN');
    const bad = await run(['jobs', 'run', 'flaky', '--payload', '{oops']);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--payload is not JSON');
  });
});

describe('specstack jobs run --wait with no worker running', () => {
  let fixture: { dir: string; remove(): void };
  let dataDir: string;

  beforeAll(async () => {
    fixture = await prepareFixtureApp(JOBS_APP);
    dataDir = mkdtempSync(path.join(tmpdir(), 'specstack-data-'));
  }, 90_000);
  afterAll(() => {
    fixture?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the job in its own process and exits when it is done', { timeout: 60_000 }, async () => {
    const cli = spawnSpecstack(
      ['jobs', 'run', 'note-written', '--payload', '{"noteId":8}', '--wait', '--app', fixture.dir],
      {
        DATABASE_URL: `sqlite:${path.join(dataDir, 'app.db')}`,
        SPECSTACK_AUTO_MIGRATE: '1',
        SPECSTACK_JOBS_POLL_INTERVAL: '50',
      },
    );
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('completed {"noteId":8}');
  });
});
