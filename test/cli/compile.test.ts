// `specstack compile` as a user runs it: every TypeScript module the app's handlers, jobs and seed
// reach, compiled where `start` will look for them.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const work = mkdtempSync(path.join(tmpdir(), 'specstack-compile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const compile = (app: string) =>
  promisify(execFile)(process.execPath, [BIN, 'compile', '--app', app], { timeout: 60_000 });

it('compiles the handlers, jobs and seed of an app, and the modules they import', async () => {
  const app = path.join(work, 'movies');
  cpSync(MOVIES, app, { recursive: true });
  cpSync(path.resolve(MOVIES, '../../package.json'), path.join(work, 'package.json'));
  const { stdout } = await compile(app);
  const into = path.relative(process.cwd(), path.join(work, '.specstack/compiled'));
  expect(stdout).toBe(`compiled 10 modules and what they import into ${into}\n`);
  const compiled = path.join(work, '.specstack/compiled/movies');
  for (const file of [
    'handlers/movies.mjs',
    'jobs/recommendations.mjs',
    'seed.mjs',
    'lib/sql.mjs',
  ]) {
    expect(existsSync(path.join(compiled, file)), file).toBe(true);
  }
});

it('says so when the app has no TypeScript module', async () => {
  const app = path.join(work, 'petstore');
  cpSync(path.resolve(MOVIES, '../petstore'), app, { recursive: true });
  const { stdout } = await compile(app);
  expect(stdout).toBe('no TypeScript modules to compile\n');
});
