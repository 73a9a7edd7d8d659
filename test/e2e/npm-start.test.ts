// The README's promise: `npm start` from a fresh clone serves the movies example on SQLite with its
// demo data, docs at /docs, and a demo login that works. The start script itself is run, on a copy
// of the example, so the test follows the script as it changes.

import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const startScript: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  .scripts.start;

// Inside the repository, so the copy's handlers still resolve `specstack` to this package.
mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
const copy = mkdtempSync(path.join(ROOT, '.tmp', 'movies-'));
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(copy, { recursive: true, force: true });
});

it('npm start migrates, seeds the demo data and serves the movies example with a working demo login', async () => {
  expect(startScript).toContain('examples/movies');
  cpSync(path.join(ROOT, 'examples/movies'), copy, {
    recursive: true,
    filter: (source) => !source.startsWith(path.join(ROOT, 'examples/movies/data')),
  });
  const port = await freePort();
  // `exec` so the signal below reaches the server, the script's last command.
  const script = startScript
    .replaceAll('examples/movies', copy)
    .replace(/&& node ([^&]*)$/, '&& exec node $1');
  child = spawn('bash', ['-c', script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), LOG_FORMAT: 'json', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 60_000;
  // The line naming the docs is written just after Fastify's own "Server listening": wait for both.
  const ready = () => output.includes('Server listening') && output.includes('/docs');
  while (!ready() && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(output).toContain('Server listening');
  expect(output).toContain('/docs');
  expect(output).toMatch(/demo@specstack\.dev \/ specstack-demo/);

  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@specstack.dev', password: 'specstack-demo' }),
  });
  expect(login.status).toBe(200);
  expect(((await login.json()) as { token_type: string }).token_type).toBe('bearer');
  const movies = await (await fetch(`${base}/api/movies?limit=5`)).json();
  expect(movies).toHaveLength(5);
  expect((await fetch(`${base}/docs`)).status).toBe(200);
}, 90_000);
