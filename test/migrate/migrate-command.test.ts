import { spawn } from 'node:child_process';
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  filesIn,
  fixturePath,
  removeDir,
  type SpecFixture,
  tempDir,
} from './support/migrate-fixtures.ts';

const CLI = fileURLToPath(new URL('./support/migrate-cli-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, SPECSTACK_DEBUG: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describeEachDialect('specstack migrate', (ctx) => {
  let app: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    app = await tempDir('specstack-migrate-cli-');
    env = { DATABASE_URL: await ctx.createDatabaseUrl() };
  });
  afterEach(() => removeDir(app));

  async function useSpec(fixture: SpecFixture): Promise<void> {
    await copyFile(fixturePath(fixture), path.join(app, 'openapi.yaml'));
  }

  it('makes a migration, applies it, then reports the database up to date', async () => {
    await useSpec('pets-v1');
    const made = await run(['make', 'Create pets', '--app', app], env);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const [file] = (await filesIn(path.join(app, 'migrations', ctx.dialect))).filter((name) =>
      name.endsWith('.sql'),
    );
    expect(file).toMatch(/^\d{14}_create-pets\.sql$/);
    const key = file!.replace(/\.sql$/, '');
    expect(made.stdout).toContain(`created migration ${key}`);
    expect(made.stdout).toContain(
      `\n  ${path.join('migrations', 'sqlite', file!)} (1 statement)\n`,
    );
    expect(made.stdout).toContain(
      `\n  ${path.join('migrations', 'postgres', file!)} (1 statement)\n`,
    );

    const up = await run(['--app', app, 'up'], env);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain(`applied ${key}\n`);

    const again = await run(['up', '--app', app], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^database is up to date/);
  });
});

// `make` never opens the database, so these run once, not per dialect.
describe('specstack migrate make', () => {
  let app: string;

  beforeEach(async () => {
    app = await tempDir('specstack-migrate-cli-');
    await copyFile(fixturePath('pets-v1'), path.join(app, 'openapi.yaml'));
  });
  afterEach(() => removeDir(app));

  it('prints the error code and message, without a stack, and exits 1 when nothing changed', async () => {
    await run(['make', 'create-pets', '--app', app], {});
    const before = await readdir(path.join(app, 'migrations', 'sqlite'));
    const again = await run(['make', 'again', '--app', app], {});
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^error SPECSTACK_ERR_NO_CHANGES: nothing to migrate/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readdir(path.join(app, 'migrations', 'sqlite'))).toEqual(before);
  });

  it('prints the stack of a failure when SPECSTACK_DEBUG=1', async () => {
    const failed = await run(['make', '!!!', '--app', app], { SPECSTACK_DEBUG: '1' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error SPECSTACK_ERR_MIGRATION_NAME: /);
    expect(failed.stderr).toMatch(/\n\s+at /);
  });
});
