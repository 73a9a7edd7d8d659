// The jobs dashboard in a real browser: Debian's chromium driven by playwright-core (never a
// browser download). The page loads with no console error and no request leaving 127.0.0.1,
// signs in with the app's own login, shows a failed job with its error, and its Retry button makes
// the job run again.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, startFixtureApp } from '../support/app-server.ts';
import { hasChromium, launchChromium, watchedPage, withoutChromium } from '../support/browser.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from './support/backends.ts';
import { JOBS_APP } from './support/job-processes.ts';

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let browser: Browser;
  let running: RunningApp;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startFixtureApp(JOBS_APP, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  it('shows a failed job after signing in, and its Retry button runs it again', {
    timeout: 90_000,
  }, async () => {
    const okFile = path.join(path.dirname(running.app.config.specPath), 'browser-ok');
    const { id } = await running.app.jobs.enqueue('flaky', { okFile });
    await eventually(async () => (await running.app.jobs.backend.getJob(id))?.state === 'failed');

    const { page, consoleErrors, outside } = await watchedPage(browser);

    await page.goto(`${running.url}/admin/jobs`);
    await page.locator('#login-form input[name="username"]').fill('admin');
    await page.locator('#login-form input[name="password"]').fill('admin');
    await page.locator('#login-form button[type="submit"]').click();

    const row = page.locator(`#failed-jobs tr[data-job-id="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('flaky failed: the ok file does not say ok');
    expect(await page.locator('#queues tr[data-queue="tick"]').textContent()).toContain(
      '0 0 1 1 *',
    );
    expect(await page.locator('#backend').textContent()).toBe(`backend: ${backend}`);

    writeFileSync(okFile, 'ok');
    await row.locator('button.retry').click();
    await page
      .locator(`#recent-jobs tr[data-job-id="${id}"][data-state="completed"]`)
      .waitFor({ timeout: 20_000 });
    const job = await running.app.jobs.backend.getJob(id);
    expect(job).toMatchObject({ state: 'completed', result: 'recovered' });
    await page.locator(`#failed-jobs tr[data-job-id="${id}"]`).waitFor({ state: 'detached' });

    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
}

if (hasChromium) {
  describeEachDialect('jobs dashboard in chromium [embedded]', (ctx) => suite('embedded', ctx), [
    'sqlite',
  ]);
  describeWithRedis('jobs dashboard in chromium [bullmq]', () =>
    describeEachDialect('', (ctx) => suite('bullmq', ctx), ['sqlite']),
  );
}
withoutChromium('jobs dashboard in chromium');
