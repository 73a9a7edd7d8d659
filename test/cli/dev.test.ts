// `specstack dev` as a user runs it: edit a handler, the next request sees the edit.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isWatchedChange } from '../../src/cli/dev.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { freePort } from '../support/free-port.ts';

// The test waits on a child process through several restarts, seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');

/** Polls until `read` gives what `done` wants, for at most `ms`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gave up waiting; last value: ${JSON.stringify(last)}`);
}

describe('which changes restart the app', () => {
  it('watches the spec, handlers and migrations, not the database files', () => {
    expect(isWatchedChange('openapi.yaml')).toBe(true);
    expect(isWatchedChange(path.join('handlers', 'pets.ts'))).toBe(true);
    expect(isWatchedChange(path.join('migrations', 'sqlite', '1_init.sql'))).toBe(true);
    expect(isWatchedChange(path.join('data', 'app.db'))).toBe(false);
    expect(isWatchedChange('app.db-wal')).toBe(false);
    expect(isWatchedChange(path.join('node_modules', 'x', 'index.js'))).toBe(false);
    expect(isWatchedChange(path.join('.specstack', 'compiled', 'handlers', 'pets.mjs'))).toBe(
      false,
    );
  });
});

describe('specstack dev', () => {
  let fixture: { dir: string; remove(): void };
  let dev: ChildProcess | undefined;

  beforeAll(async () => {
    fixture = await prepareFixtureApp(SHOP);
  });
  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev!.once('exit', resolve));
      dev.kill('SIGTERM');
      await exited;
    }
    fixture.remove();
  });

  it('applies migrations, serves, and restarts with the edited handler', async () => {
    const port = await freePort();
    dev = spawn(process.execPath, [BIN, 'dev', '--app', fixture.dir], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' },
      stdio: 'ignore',
    });
    const greet = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/greet/bob`, {
        headers: { cookie: 'session=abc123' },
      });
      return (await response.json()) as { greeting: string };
    };
    await eventually(greet, (body) => body.greeting === 'hello bob');

    const handler = path.join(fixture.dir, 'handlers', 'greetings.ts');
    writeFileSync(handler, readFileSync(handler, 'utf8').replace("'hello'", "'howdy'"));
    await eventually(greet, (body) => body.greeting === 'howdy bob');

    const exited = new Promise<number | null>((resolve) => dev!.once('exit', resolve));
    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });
});
