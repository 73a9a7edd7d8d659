// `specstack dev` keeps the generated types in step with the spec: brought up to date at start,
// rewritten after a spec edit, and never a reason to restart the server.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSpecChange, isWatchedChange } from '../../src/cli/dev.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { freePort } from '../support/free-port.ts';

// A child process through a restart and two generations, seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');

async function eventually(done: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('which changes regenerate the types', () => {
  it('regenerates for the spec, not for handlers, migrations or the types themselves', () => {
    expect(isSpecChange('openapi.yaml')).toBe(true);
    expect(isSpecChange(path.join('schemas', 'pet.json'))).toBe(true);
    expect(isSpecChange(path.join('handlers', 'pets.ts'))).toBe(false);
    expect(isSpecChange(path.join('migrations', 'sqlite', 'snapshot.json'))).toBe(false);
    expect(isSpecChange('package.json')).toBe(false);
    expect(isWatchedChange(path.join('types', 'spec.ts'))).toBe(false);
  });
});

describe('specstack dev and types/spec.ts', () => {
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

  it('rewrites types older than the spec at start, and again when the spec changes', async () => {
    const types = path.join(fixture.dir, 'types', 'spec.ts');
    mkdirSync(path.dirname(types));
    writeFileSync(types, '// generated before the last spec edit\n');
    utimesSync(types, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const port = await freePort();
    let stderr = '';
    dev = spawn(process.execPath, [BIN, 'dev', '--app', fixture.dir], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    dev.stderr!.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const read = () => (existsSync(types) ? readFileSync(types, 'utf8') : '');
    await eventually(() =>
      read().includes('interface greet extends SpecOperation<operations["greet"], 200'),
    );

    const spec = path.join(fixture.dir, 'openapi.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'operationId: greet\n',
        'operationId: greet\n      summary: Greets someone by name\n',
      ),
    );
    await eventually(() => read().includes('Greets someone by name'));
    expect(stderr).toContain('types/spec.ts regenerated');
    // One restart for the spec edit; none for the types dev wrote.
    expect(stderr.match(/changed, restarting/g)).toHaveLength(1);
  });
});
