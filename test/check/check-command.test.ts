// `specstack check` as a user and CI run it: the exit code, the report and its JUnit XML; and
// --url mode against a real server on 127.0.0.1.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { runCheck } from '../../src/index.ts';
import { startApp } from '../support/app-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const APP = path.resolve(import.meta.dirname, '../fixtures/apps/contract-bugs');
const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const dir = mkdtempSync(path.join(tmpdir(), 'specstack-check-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specstack(args: string[]) {
  return promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 90_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

it('exits 1 on a buggy app, prints each failure with a curl line, and writes JUnit XML', async () => {
  const junit = path.join(dir, 'check.xml');
  const { code, stdout } = await specstack([
    'check',
    '--app',
    APP,
    '--spec',
    path.join(APP, 'contract.yaml'),
    '--seed',
    '5',
    '--examples',
    '10',
    '--junit',
    junit,
  ]);
  expect(code).toBe(1);
  expect(stdout).toMatch(/^GET \/squares\/\{n\}\s+\d+ 1 failed\s+[\d.]+ s$/m);
  expect(stdout).toContain('getStatus (GET /status): status-documented');
  expect(stdout).toMatch(/^ {3}curl -i -X GET 'http:\/\/127\.0\.0\.1:8000\/api\/squares\/\d+'$/m);
  expect(stdout).toMatch(
    /FAILED: 14 operations, \d+ requests, 11 failures .*--seed 5 repeats this run/,
  );
  const xml = readFileSync(junit, 'utf8');
  expect(xml).toMatch(/<testsuite name="specstack check" tests="14" failures="11"/);
  expect(xml).toContain('<failure type="deleted-is-gone"');
  expect(xml).toContain('<testcase classname="specstack check" name="GET /things/{id} (getThing)"');
}, 120_000);

it('exits 0 on the petstore', async () => {
  const { code, stdout } = await specstack([
    'check',
    '--app',
    PETSTORE,
    '--seed',
    '5',
    '--examples',
    '5',
  ]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^passed: 4 operations/m);
}, 120_000);

it('checks a running server over HTTP with --url', async () => {
  const server = await startApp(PETSTORE, `sqlite:${path.join(dir, 'petstore.db')}`);
  try {
    const result = await runCheck({
      url: server.url,
      appDir: PETSTORE,
      seed: 5,
      examples: 5,
      env: {},
    });
    expect(result.failures).toEqual([]);
    expect(result.baseUrl).toBe(server.url);
    // The requests reached the server: it logged them.
    expect(
      server.logs.some((line) =>
        String((line.req as { url?: string })?.url ?? '').startsWith('/api/pets'),
      ),
    ).toBe(true);
  } finally {
    await server.close();
  }
}, 120_000);

it('names a login it cannot use with SPECSTACK_ERR_CHECK_LOGIN', async () => {
  await expect(
    runCheck({ appDir: PETSTORE, login: 'POST /pets {not json', env: {} }),
  ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_CHECK_LOGIN' });
  await expect(
    runCheck({
      appDir: PETSTORE,
      login: 'POST /api/pets {"name":"Rex"}',
      tokenPointer: '/token',
      env: {},
    }),
  ).rejects.toThrow(/login answered no token at \/token/);
}, 60_000);
