// `specstack start` as a user runs it: a real process, real signals.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../support/app-process.ts';
import { prepareFixtureApp } from '../support/app-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');

const REFUSE_DRIZZLE_KIT = path.resolve(import.meta.dirname, '../support/refuse-drizzle-kit.mjs');

describe('specstack start', () => {
  let fixture: { dir: string; remove(): void };
  let dataDir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    fixture = await prepareFixtureApp(SHOP);
    dataDir = mkdtempSync(path.join(tmpdir(), 'specstack-data-'));
  });
  afterAll(() => {
    running?.kill('SIGKILL');
    fixture.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start with pending migrations and says which command to run', async () => {
    const app = startProcess(fixture.dir, { DATABASE_URL: `sqlite:${path.join(dataDir, 'a.db')}` });
    app.listening.catch(() => {});
    expect(await app.exited).toBe(1);
    expect(app.stderr()).toContain('error SPECSTACK_ERR_MIGRATIONS_PENDING');
    expect(app.stderr()).toContain('specstack migrate up');
    expect(app.stderr()).not.toMatch(/\n\s+at /);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const app = startProcess(fixture.dir, {
      DATABASE_URL: `sqlite:${path.join(dataDir, 'b.db')}`,
      SPECSTACK_AUTO_MIGRATE: '1',
    });
    running = app.child;
    const url = await app.listening;
    const inFlight = fetch(`${url}/v1/slow?ms=700`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    app.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waited: 700 });
    expect(await app.exited).toBe(0);
    expect(app.lines.some((line) => line.includes('SIGTERM received'))).toBe(true);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('serves without loading the migration differ (drizzle-kit, hundreds of MiB)', async () => {
    const databaseUrl = `sqlite:${path.join(dataDir, 'c.db')}`;
    const migrate = spawn(process.execPath, [BIN, 'migrate', 'up', '--app', fixture.dir], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => migrate.on('exit', resolve))).toBe(0);
    const app = startProcess(fixture.dir, { DATABASE_URL: databaseUrl }, [
      '--import',
      REFUSE_DRIZZLE_KIT,
    ]);
    running = app.child;
    const url = await app.listening;
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.stderr()).not.toContain('drizzle-kit was imported');
  });
});
