// Debian's chromium driven by playwright-core (never a browser download), for the suites that test
// web pages; plus a page that records console errors and every request leaving 127.0.0.1.
// Browser suites are skipped with a notice when chromium is missing, failed under
// SPECSTACK_TEST_REQUIRE_SERVICES=1.

import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.SPECSTACK_TEST_CHROMIUM || '/usr/bin/chromium';
const REQUIRE_SERVICES = process.env.SPECSTACK_TEST_REQUIRE_SERVICES === '1';
export const hasChromium = existsSync(CHROMIUM);
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  consoleErrors: string[];
  /** URLs of requests to any host but 127.0.0.1 (data: URLs excepted). */
  outside: string[];
}

export async function watchedPage(browser: Browser): Promise<WatchedPage> {
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
  return { page, consoleErrors, outside };
}

/**
 * Where chromium is missing, one test stands for the suite: skipped, or failing when
 * SPECSTACK_TEST_REQUIRE_SERVICES=1 says chromium must be there.
 */
export function withoutChromium(suiteName: string): void {
  if (hasChromium) return;
  (REQUIRE_SERVICES ? describe : describe.skip)(suiteName, () => {
    it('needs chromium', () => {
      throw new Error(
        `chromium is required (SPECSTACK_TEST_REQUIRE_SERVICES=1) but ${CHROMIUM} is missing`,
      );
    });
  });
}
