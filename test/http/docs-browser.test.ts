// /docs in a real browser (see support/browser.ts): the movies spec's every operation is listed,
// with no console error and no request leaving 127.0.0.1, and the console sends real requests to
// the running server: a public list, then an operation that needs the bearer token typed into
// the Authorize box.

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { hasChromium, launchChromium, watchedPage, withoutChromium } from '../support/browser.ts';
import { describeEachDialect } from '../support/databases.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const SECRET = 'docs-browser-secret-that-is-long-enough-for-hs256';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function suite(ctx: { createDatabaseUrl(): Promise<string> }) {
  let browser: Browser;
  let running: RunningApp;
  let token: string;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startApp(MOVIES, await ctx.createDatabaseUrl(), { jwtSecret: SECRET });
    const movies = running.app.db.repository('Movie');
    await movies.insert({ title: 'Heat', release_year: 1995, genres: ['Crime'] });
    await movies.insert({ title: 'Paris, Texas', release_year: 1984, genres: ['Drama'] });
    const user = { email: 'ann@example.com', name: 'Ann', password: 'correct horse battery' };
    expect((await request(running.url, 'POST', '/api/users', { json: user })).status).toBe(201);
    const login = await request(running.url, 'POST', '/api/login', {
      json: { email: user.email, password: user.password },
    });
    token = login.body.access_token;
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('lists every operation of the spec and tries requests, with and without a bearer token', {
    timeout: 90_000,
  }, async () => {
    const { page, consoleErrors, outside } = await watchedPage(browser);
    await page.goto(`${running.url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });

    const spec = (await request(running.url, 'GET', '/openapi.json')).body;
    const expected = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, item]) => METHODS.filter((m) => m in item).map((m) => `${m} ${p}`))
      .sort();
    const shown = await page.locator('.opblock').evaluateAll((blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
        const where = block.querySelector('.opblock-summary-path')?.getAttribute('data-path');
        return `${method.toLowerCase()} ${where}`;
      }),
    );
    expect([...new Set(shown)].sort()).toEqual(expected);

    // A public operation: the list of movies, answered by the running server.
    const list = page.locator('#operations-movies-listMovies');
    await list.locator('.opblock-summary').click();
    await list.locator('button.try-out__btn').click();
    await list.locator('button.execute').click();
    const listAnswer = list.locator('.live-responses-table .response');
    await listAnswer.waitFor({ timeout: 20_000 });
    expect(await listAnswer.locator('.response-col_status').textContent()).toContain('200');
    const listBody = await listAnswer.locator('.response-col_description').textContent();
    expect(listBody).toContain('Heat');
    expect(listBody).toContain('Paris, Texas');

    // The token typed into the Authorize box is sent with an operation that needs it.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux');
    await dialog.locator('input[type="text"]').first().fill(token);
    await dialog.locator('button.authorize').first().click();
    await dialog.locator('button.btn-done').click();
    const me = page.locator('#operations-auth-getMe');
    await me.locator('.opblock-summary').click();
    await me.locator('button.try-out__btn').click();
    await me.locator('button.execute').click();
    const meAnswer = me.locator('.live-responses-table .response');
    await meAnswer.waitFor({ timeout: 20_000 });
    expect(await meAnswer.locator('.response-col_status').textContent()).toContain('200');
    expect(await meAnswer.locator('.response-col_description').textContent()).toContain(
      'ann@example.com',
    );

    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
}

if (hasChromium) describeEachDialect('docs console in chromium', suite, ['sqlite']);
withoutChromium('docs console in chromium');
