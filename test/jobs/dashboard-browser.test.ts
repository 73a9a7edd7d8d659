// The jobs dashboard in a real browser: Debian's chromium driven by playwright-core (never a
// browser download). The page loads with no console error and no request leaving 127.0.0.1,
// signs in with the app's own login, shows a failed job with its error, and its Retry button makes
// the job run again. Skipped with a notice when chromium is missing, failed under
// SPECSTACK_TEST_REQUIRE_SERVICES=1.

import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startFixtureApp } from '../support/app-server.ts';
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

const CHROMIUM = process.env.SPECSTACK_TEST_CHROMIUM || '/usr/bin/chromium';
const REQUIRE_SERVICES = process.env.SPECSTACK_TEST_REQUIRE_SERVICES === '1';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && !REQUIRE_SERVICES) {
  console.warn(`Browser suites skipped: no chromium at ${CHROMIUM}`);
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let browser: Browser;
  let running: RunningApp;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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

    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const outside: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') outside.push(request.url());
    });

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
} else if (REQUIRE_SERVICES) {
  describe('jobs dashboard in chromium', () => {
    it('needs chromium', () => {
      throw new Error(
        `chromium is required (SPECSTACK_TEST_REQUIRE_SERVICES=1) but ${CHROMIUM} is missing`,
      );
    });
  });
}
