// `specstack new` from the sources: what it writes, what it refuses, and the settings list its
// `.env.example` is made from. The generated app installed and run is package.test.ts's.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { documentedSettings } from '../../src/scaffold/env-example.ts';
import { scaffoldApp } from '../../src/scaffold/scaffold-app.ts';
import { loadSpec } from '../../src/spec/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'specstack-new-'));
const app = path.join(work, 'my-api');
let files: string[];

beforeAll(async () => {
  ({ files } = await scaffoldApp({ name: 'my-api', dir: app }));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function read(file: string): string {
  return readFileSync(path.join(app, file), 'utf8');
}

it('writes a spec, a handler, tests, its first migration, a Dockerfile, CI and tool config', () => {
  expect(files.filter((file) => !file.startsWith('migrations/'))).toEqual([
    '.dockerignore',
    '.env.example',
    '.github/workflows/ci.yml',
    '.gitignore',
    'Dockerfile',
    'README.md',
    'biome.json',
    'handlers/tasks.ts',
    'openapi.yaml',
    'package.json',
    'test/tasks.test.ts',
    'tsconfig.json',
    'types/spec.ts',
  ]);
  expect(read('openapi.yaml')).toContain('title: "my-api"');
  expect(read('README.md')).toMatch(/^# my-api\n/);
  expect(read('README.md')).toContain('npm install && npm start');
  expect(read('Dockerfile')).toContain('npm ci --omit=dev');
  expect(read('Dockerfile')).toMatch(/^USER node$/m);
  expect(read('.github/workflows/ci.yml')).toContain('npm test');
});

it('depends on this version of specstack, with the tools its scripts run pinned like specstack’s', () => {
  const framework = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const manifest = JSON.parse(read('package.json'));
  expect(manifest).toMatchObject({ name: 'my-api', type: 'module', private: true });
  expect(manifest.dependencies).toEqual({ specstack: `^${framework.version}` });
  for (const [tool, version] of Object.entries(manifest.devDependencies)) {
    expect(framework.devDependencies[tool]).toBe(version);
  }
  expect(Object.keys(manifest.scripts)).toEqual(
    expect.arrayContaining(['start', 'dev', 'test', 'lint', 'typecheck']),
  );
});

it('writes the first migration for both dialects, the one migrate make would write', async () => {
  for (const dialect of ['sqlite', 'postgres']) {
    const sql = readdirSync(path.join(app, 'migrations', dialect)).filter((file) =>
      file.endsWith('_init.sql'),
    );
    expect(sql).toHaveLength(1);
    expect(readFileSync(path.join(app, 'migrations', dialect, sql[0]!), 'utf8')).toMatch(
      /CREATE TABLE "?`?tasks/,
    );
  }
  const spec = await loadSpec(path.join(app, 'openapi.yaml'));
  await expect(
    makeMigration({
      model: deriveModel(spec.document, spec.file),
      migrationsDir: path.join(app, 'migrations'),
      name: 'again',
      specFile: spec.file,
    }),
  ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_NO_CHANGES' });
}, 60_000);

it('lists every documented setting in .env.example, commented out, with its default', () => {
  const example = read('.env.example');
  const settings = documentedSettings(
    readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8'),
  );
  expect(settings.length).toBeGreaterThan(20);
  for (const setting of settings) expect(example).toMatch(new RegExp(`^# ${setting.name}=`, 'm'));
  expect(example).toMatch(/^# PORT=8000$/m);
  expect(example).toMatch(/^# DATABASE_URL=sqlite:data\/app\.db$/m);
  expect(example.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([]);
});

it('documents in docs/configuration.md every environment variable specstack reads', () => {
  const documented = new Set(
    documentedSettings(readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8')).map(
      (setting) => setting.name,
    ),
  );
  const read = new Set<string>();
  for (const file of readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const source = readFileSync(path.join(ROOT, 'src', file), 'utf8');
    for (const match of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) read.add(match[1]!);
  }
  expect(read.size).toBeGreaterThan(20);
  expect([...read].filter((name) => !documented.has(name))).toEqual([]);
});

it('refuses a name that is not a package name, and a folder that is not empty, writing nothing', async () => {
  await expect(scaffoldApp({ name: 'My API', dir: path.join(work, 'bad') })).rejects.toMatchObject({
    code: 'SPECSTACK_ERR_NEW_APP',
    message: expect.stringContaining('"My API" is not a valid package name'),
  });
  expect(readdirSync(work)).toEqual(['my-api']);

  const taken = path.join(work, 'taken');
  mkdirSync(taken);
  writeFileSync(path.join(taken, 'notes.txt'), 'mine');
  await expect(scaffoldApp({ name: 'taken', dir: taken })).rejects.toMatchObject({
    code: 'SPECSTACK_ERR_NEW_APP',
    message: expect.stringContaining('exists and is not an empty folder'),
  });
  expect(readdirSync(taken)).toEqual(['notes.txt']);
});
