// The committed generated types never go stale: each is compared with what its spec generates now,
// and `specstack types --check` fails with the command to run when a spec edit was not followed by it.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkTypes, writeTypes } from '../../src/types/write-types.ts';

// The generator drives the TypeScript compiler: seconds per spec on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/specstack.js');
const FIXTURE = path.join(import.meta.dirname, 'fixture');

describe('committed generated types', () => {
  it('the type tests fixture matches its spec', async () => {
    await expect(checkTypes({ appDir: FIXTURE })).resolves.toMatchObject({ changed: false });
  });

  it('the movies example matches its spec (else run `npx specstack types --app examples/movies`)', async () => {
    await expect(checkTypes({ appDir: path.join(ROOT, 'examples/movies') })).resolves.toMatchObject(
      { changed: false },
    );
  });

  it('the relationships fixture app matches its spec', async () => {
    const appDir = path.join(ROOT, 'test/fixtures/apps/relationships');
    await expect(checkTypes({ appDir })).resolves.toMatchObject({ changed: false });
  });

  it('the app template matches its spec (else run `npx specstack types --app templates/app`)', async () => {
    await expect(checkTypes({ appDir: path.join(ROOT, 'templates/app') })).resolves.toMatchObject({
      changed: false,
    });
  });
});

describe('specstack types', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-types-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(FIXTURE, 'openapi.yaml'), path.join(dir, 'openapi.yaml'));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'types', '--app', dir, ...args], { encoding: 'utf8' });

  it('writes types/spec.ts, and leaves it untouched when the spec has not changed', async () => {
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('written');
    const text = readFileSync(path.join(dir, 'types/spec.ts'), 'utf8');
    expect(text).toContain('export type Operations = {');
    expect(text).toContain(
      'interface getNote extends SpecOperation<operations["getNote"], 200> {}',
    );
    expect(text).toContain(
      'export const handler: HandlerFactory<Operations, Tables> = defineHandler;',
    );
    await expect(writeTypes({ appDir: dir })).resolves.toMatchObject({ changed: false });
  });

  it('--check fails with SPECSTACK_ERR_TYPES_STALE and the command to run after a spec edit', () => {
    const spec = path.join(dir, 'openapi.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace('operationId: deleteNote', 'operationId: removeNote'),
    );
    const stale = run('--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('SPECSTACK_ERR_TYPES_STALE');
    expect(stale.stderr).toContain('is out of date with openapi.yaml: run `npx specstack types`');
    expect(run().status).toBe(0);
    expect(run('--check').stdout).toContain('is up to date');
  });

  it('types an operationId that cannot name an interface in the Operations map itself', async () => {
    const odd = mkdtempSync(path.join(tmpdir(), 'specstack-types-odd-'));
    try {
      writeFileSync(
        path.join(odd, 'openapi.yaml'),
        [
          'openapi: 3.1.0',
          'info: { title: odd, version: "1" }',
          'paths:',
          '  /a:',
          '    get: { operationId: pets.list, responses: { "204": { description: none } } }',
          '    delete: { operationId: delete, responses: { "204": { description: none } } }',
        ].join('\n'),
      );
      await writeTypes({ appDir: odd });
      const text = readFileSync(path.join(odd, 'types/spec.ts'), 'utf8');
      expect(text).toContain('"pets.list": SpecOperation<operations["pets.list"], 204>;');
      expect(text).toContain('"delete": SpecOperation<operations["delete"], 204>;');
      expect(text).not.toContain('interface delete');
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });

  it('writes where --out says', () => {
    expect(run('--out', 'src/api-types.ts').status).toBe(0);
    expect(readFileSync(path.join(dir, 'src/api-types.ts'), 'utf8')).toContain(
      'export type Tables = {',
    );
  });
});
