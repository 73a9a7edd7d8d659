import { spawn } from 'node:child_process';
import { appendFile, copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  filesIn,
  fixturePath,
  removeDir,
  type SpecFixture,
  tempDir,
} from './support/migrate-fixtures.ts';

// Each test runs several CLI processes that load drizzle-kit, seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

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
    const [file] = (await filesIn(path.join(app, 'migrations', ctx.dialect))).filter(
      (name) => name.endsWith('.sql') && !name.endsWith('.down.sql'),
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

describeEachDialect('specstack migrate status, sql, down and reset', (ctx) => {
  let app: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    app = await tempDir('specstack-migrate-cli-');
    env = { DATABASE_URL: await ctx.createDatabaseUrl(), NODE_ENV: 'development' };
  });
  afterEach(() => removeDir(app));

  async function useSpec(fixture: SpecFixture): Promise<void> {
    await copyFile(fixturePath(fixture), path.join(app, 'openapi.yaml'));
  }

  async function makeKey(fixture: SpecFixture, name: string): Promise<string> {
    await useSpec(fixture);
    const made = await run(['make', name, '--app', app], env);
    expect(made.stderr).toBe('');
    return /created migration (\S+)/.exec(made.stdout)![1]!;
  }

  it('status lists applied and pending migrations and drift; sql prints what up would run', async () => {
    const first = await makeKey('library-r1', 'create-library');
    await run(['up', '--app', app], env);
    const second = await makeKey('library-r2', 'add-bio');
    await useSpec('library-r3');

    const status = await run(['status', '--app', app], env);
    expect(status.stderr).toBe('');
    const lines = status.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^database /);
    expect(lines[1]).toMatch(new RegExp(`^applied  ${first}  \\d{4}-\\d\\d-\\d\\dT`));
    expect(lines[2]).toBe(`pending  ${second}`);
    expect(lines[3]).toBe('1 applied, 1 pending, 0 edited, 0 missing');
    expect(lines[4]).toBe(
      "drift: openapi.yaml differs from the last migration's snapshot (sqlite: 1 statement, postgres: 1 statement); run: specstack migrate make <name>",
    );
    expect(status.code).toBe(1);

    const sql = await run(['sql', '--app', app], env);
    expect(sql.stderr).toBe('');
    expect(sql.code).toBe(0);
    expect(sql.stdout).toBe(
      `-- ${second} (${path.join('migrations', ctx.dialect, `${second}.sql`)})\n${
        ctx.dialect === 'sqlite'
          ? 'ALTER TABLE `authors` ADD `bio` text;'
          : 'ALTER TABLE "authors" ADD COLUMN "bio" text;'
      }\n`,
    );
    // sql applied nothing.
    const after = await run(['status', '--app', app], env);
    expect(after.stdout).toContain(`pending  ${second}`);
  });

  it('status marks an edited migration and exits 1, and up refuses it', async () => {
    const first = await makeKey('library-r1', 'create-library');
    await run(['up', '--app', app], env);
    await appendFile(path.join(app, 'migrations', ctx.dialect, `${first}.sql`), '-- edited\n');
    const status = await run(['status', '--app', app], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(
      `EDITED: ${path.join('migrations', ctx.dialect, `${first}.sql`)} changed after it was applied`,
    );
    expect(status.stdout).toContain('1 applied, 0 pending, 1 edited, 0 missing');
    const up = await run(['up', '--app', app], env);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(
      /^error SPECSTACK_ERR_MIGRATION_CHECKSUM: .* changed after it was applied/,
    );
  });

  it('down rolls back and says what it undid; reset asks for --yes in production', async () => {
    const first = await makeKey('library-r1', 'create-library');
    const second = await makeKey('library-r2', 'add-bio');
    const third = await makeKey('library-r3', 'add-country');
    await run(['up', '--app', app], env);

    const down = await run(['down', '--app', app], env);
    expect(down.stderr).toBe('');
    expect(down.stdout).toMatch(new RegExp(`^rolled back ${third}\n1 migration rolled back on `));
    const two = await run(['down', '2', '--app', app], env);
    expect(two.stdout).toMatch(
      new RegExp(`^rolled back ${second}\nrolled back ${first}\n2 migrations rolled back on `),
    );
    const none = await run(['down', '--app', app], env);
    expect(none.stdout).toMatch(/^nothing to roll back/);
    const bad = await run(['down', 'two', '--app', app], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error SPECSTACK_ERR_MIGRATION_INVALID: migrate down takes how many/,
    );

    await run(['up', '--app', app], env);
    const refused = await run(['reset', '--app', app], { ...env, NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error SPECSTACK_ERR_MIGRATION_RESET_REFUSED: .*--yes/);
    const reset = await run(['reset', '--yes', '--app', app], { ...env, NODE_ENV: 'production' });
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe(
      [
        'dropped authors, books and the migration history',
        `applied ${first}`,
        `applied ${second}`,
        `applied ${third}`,
        `database reset: 3 migrations applied to ${env.DATABASE_URL}`,
        '',
      ].join('\n'),
    );
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

  it('writes empty files for a hand-written migration with --empty', async () => {
    await run(['make', 'create-pets', '--app', app], {});
    const empty = await run(['make', 'backfill', '--empty', '--app', app], {});
    expect(empty.stderr).toBe('');
    expect(empty.stdout).toMatch(/\.sql \(0 statements\)\n/);
    expect(empty.stdout).toContain('.down.sql (0 statements)');
  });

  it('refuses a destructive change with the reason and writes nothing', async () => {
    await copyFile(fixturePath('library-r2'), path.join(app, 'openapi.yaml'));
    await run(['make', 'create', '--app', app], {});
    await copyFile(fixturePath('library-r1'), path.join(app, 'openapi.yaml'));
    const refused = await run(['make', 'drop-bio', '--app', app], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error SPECSTACK_ERR_MIGRATION_DESTRUCTIVE: .*drops column authors\.bio: their data would be lost; if it is a rename, declare it with x-renamed-from.*--allow-destructive/,
    );
    const allowed = await run(['make', 'drop-bio', '--allow-destructive', '--app', app], {});
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('warning: this migration drops column authors.bio');
  });
});
