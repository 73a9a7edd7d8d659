// `specstack migrate make|up|down|status|sql|reset`: the command line over migrate/.
// Prints what was done; a failure prints `error CODE: message` on stderr and exits with 1.

import path from 'node:path';
import { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/open-database.ts';
import { MIGRATION_INVALID } from '../errors.ts';
import { migrateUp, pendingSources } from '../migrate/apply-migrations.ts';
import type { MigrationStatusEntry } from '../migrate/migration-status.ts';
import { resetDatabase } from '../migrate/reset-database.ts';
import { migrateDown } from '../migrate/roll-back.ts';
import { deriveModel } from '../model/derive-model.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { reportError } from './report-error.ts';

interface MigrateOptions {
  app?: string;
  allowDestructive?: boolean;
  empty?: boolean;
  to?: string;
  yes?: boolean;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Paths are shown relative to the app folder, as the user thinks of them: `migrations/sqlite/…`. */
function shown(config: Config, file: string): string {
  return path.relative(config.appDir, file) || '.';
}

/** Runs a subcommand with the app's config; `--app` may come before or after the subcommand. */
function action<A extends unknown[]>(
  run: (config: Config, ...args: [...A, MigrateOptions]) => Promise<void>,
): (...args: [...A, unknown, Command]) => Promise<void> {
  return async (...args) => {
    const command = args.at(-1) as Command;
    const options = command.optsWithGlobals<MigrateOptions>();
    try {
      await run(loadConfig({ appDir: options.app }), ...(args.slice(0, -2) as A), options);
    } catch (error) {
      reportError(error);
    }
  };
}

async function loadModel(config: Config) {
  const spec = await loadSpec(config.specPath);
  return { spec, model: deriveModel(spec.document, shown(config, spec.file)) };
}

/** Applying needs only the connection, not the model's tables: the spec may be ahead of the files. */
async function withDatabase(config: Config, work: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase({
    url: config.databaseUrl,
    model: { tables: [] },
    baseDir: config.appDir,
  });
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

// make and status diff the model with drizzle-kit, hundreds of MiB once imported: they load it
// themselves, so no other command (and no server started by `specstack start`) pays for it.
const differ = () => import('../migrate/make-migration.ts');
const statusReader = () => import('../migrate/migration-status.ts');

async function make(config: Config, name: string, options: MigrateOptions): Promise<void> {
  const { spec, model } = await loadModel(config);
  const { makeMigration } = await differ();
  const made = await makeMigration({
    model,
    migrationsDir: config.migrationsDir,
    name,
    specFile: spec.file,
    allowDestructive: options.allowDestructive === true,
    empty: options.empty === true,
  });
  print(`created migration ${made.id}_${made.name}`);
  for (const file of made.files) {
    const dialect = path.basename(path.dirname(file)) as keyof typeof made.statements;
    const statements = file.endsWith('.down.sql')
      ? made.downStatements[dialect]
      : made.statements[dialect];
    const count = statements?.length ?? 0;
    const detail = file.endsWith('.sql') ? ` (${plural(count, 'statement')})` : '';
    print(`  ${shown(config, file)}${detail}`);
  }
  for (const rename of made.renames) print(`note: this migration ${rename}`);
  for (const change of made.destructive) print(`warning: this migration ${change}`);
  print(
    options.empty
      ? 'write the statements (and those that undo them in the .down.sql files), then run: specstack migrate up'
      : 'review the SQL, then run: specstack migrate up',
  );
}

async function up(config: Config, options: MigrateOptions): Promise<void> {
  await withDatabase(config, async (db) => {
    const { applied } = await migrateUp(db, config.migrationsDir, { to: options.to });
    if (applied.length === 0) {
      print(`database is up to date (${db.displayUrl})`);
      return;
    }
    for (const key of applied) print(`applied ${key}`);
    print(`${plural(applied.length, 'migration')} applied to ${db.displayUrl}`);
  });
}

function parseSteps(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw MIGRATION_INVALID(
      `migrate down takes how many migrations to roll back (1 or more), got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

async function down(
  config: Config,
  steps: string | undefined,
  options: MigrateOptions,
): Promise<void> {
  const count = parseSteps(steps);
  await withDatabase(config, async (db) => {
    const { reverted } = await migrateDown(db, config.migrationsDir, {
      ...(count === undefined ? {} : { steps: count }),
      ...(options.to === undefined ? {} : { to: options.to }),
    });
    if (reverted.length === 0) {
      print(`nothing to roll back (${db.displayUrl})`);
      return;
    }
    for (const key of reverted) print(`rolled back ${key}`);
    print(`${plural(reverted.length, 'migration')} rolled back on ${db.displayUrl}`);
  });
}

function statusLine(entry: MigrationStatusEntry, width: number): string {
  const when = entry.appliedAt ? `  ${entry.appliedAt}` : '';
  const note =
    entry.state === 'missing'
      ? `  applied, but its file is gone from migrations/`
      : entry.edited
        ? `  EDITED: ${entry.displayPath} changed after it was applied`
        : '';
  return `${entry.state.padEnd(8)} ${entry.key.padEnd(width)}${when}${note}`.trimEnd();
}

async function driftLines(config: Config): Promise<{ lines: string[]; drifted: boolean }> {
  try {
    const { spec, model } = await loadModel(config);
    const { modelDrift } = await statusReader();
    const drift = await modelDrift(model, config.migrationsDir);
    const changed = Object.entries(drift).filter(([, statements]) => statements.length > 0);
    if (changed.length === 0) {
      return {
        lines: [`drift: none (${shown(config, spec.file)} matches the last migration)`],
        drifted: false,
      };
    }
    const counts = changed.map(
      ([dialect, statements]) => `${dialect}: ${plural(statements.length, 'statement')}`,
    );
    return {
      lines: [
        `drift: ${shown(config, spec.file)} differs from the last migration's snapshot (${counts.join(', ')}); run: specstack migrate make <name>`,
      ],
      drifted: true,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { lines: [`drift: cannot tell, the spec does not load: ${message}`], drifted: true };
  }
}

/** Exits 1 when something needs attention: an edited or missing file, or drift. Pending is normal. */
async function status(config: Config): Promise<void> {
  await withDatabase(config, async (db) => {
    const { migrationStatus } = await statusReader();
    const { migrations } = await migrationStatus(db, config.migrationsDir);
    print(`database ${db.displayUrl}`);
    const width = Math.max(0, ...migrations.map((entry) => entry.key.length));
    for (const entry of migrations) print(statusLine(entry, width));
    const count = (state: string) => migrations.filter((entry) => entry.state === state).length;
    const edited = migrations.filter((entry) => entry.edited).length;
    const missing = count('missing');
    print(
      `${count('applied')} applied, ${count('pending')} pending, ${edited} edited, ${missing} missing`,
    );
    const drift = await driftLines(config);
    for (const line of drift.lines) print(line);
    if (edited > 0 || missing > 0 || drift.drifted) process.exitCode = 1;
  });
}

async function sql(config: Config, options: MigrateOptions): Promise<void> {
  await withDatabase(config, async (db) => {
    const pending = await pendingSources(db, config.migrationsDir, { to: options.to });
    if (pending.length === 0) {
      print(`-- nothing pending: the database is up to date (${db.displayUrl})`);
      return;
    }
    const blocks = pending.map((source) => {
      const statements = source.statements.map((statement) =>
        statement.endsWith(';') ? statement : `${statement};`,
      );
      const body = statements.length > 0 ? statements : ['-- (no statements)'];
      return [`-- ${source.key} (${source.displayPath})`, ...body].join('\n');
    });
    print(blocks.join('\n\n'));
  });
}

async function reset(config: Config, options: MigrateOptions): Promise<void> {
  await withDatabase(config, async (db) => {
    const result = await resetDatabase(db, config.migrationsDir, {
      environment: config.environment,
      confirmed: options.yes === true,
    });
    print(
      `dropped ${result.dropped.length === 0 ? 'no app tables' : result.dropped.join(', ')} and the migration history`,
    );
    for (const key of result.applied) print(`applied ${key}`);
    print(
      `database reset: ${plural(result.applied.length, 'migration')} applied to ${db.displayUrl}`,
    );
  });
}

const APP_OPTION = ['--app <dir>', 'the app folder (default: the current folder)'] as const;

export function migrateCommand(): Command {
  const command = new Command('migrate')
    .description('generate migrations from the spec, apply and roll them back')
    .option(
      '--app <dir>',
      'the app folder, holding the spec and migrations/ (default: the current folder)',
    );
  command
    .command('make')
    .description(
      'write a migration (and its down file) for each dialect from the changes to the spec since the last one',
    )
    .argument('<name>', 'what the migration does, e.g. add-owners')
    .option(...APP_OPTION)
    .option(
      '--allow-destructive',
      'write the migration even if it drops, narrows or makes NOT NULL a table or column',
    )
    .option('--empty', 'write empty files for a hand-written (data) migration')
    .action(action<[string]>(make));
  command
    .command('up')
    .description('apply pending migrations to the database at DATABASE_URL')
    .option(...APP_OPTION)
    .option('--to <id>', 'apply only up to this migration (id or <id>_<name>), inclusive')
    .action(action<[]>(up));
  command
    .command('down')
    .description('roll back the newest applied migrations with their .down.sql files')
    .argument('[count]', 'how many migrations to roll back', undefined)
    .option(...APP_OPTION)
    .option('--to <id>', 'roll back every migration applied after this one (it stays applied)')
    .action(action<[string | undefined]>(down));
  command
    .command('status')
    .description(
      'list applied, pending, edited and missing migrations, and drift between the spec and the last migration',
    )
    .option(...APP_OPTION)
    .action(action<[]>(status));
  command
    .command('sql')
    .description('print the SQL that up would run, per pending migration, without running it')
    .option(...APP_OPTION)
    .option('--to <id>', 'only up to this migration (id or <id>_<name>), inclusive')
    .action(action<[]>(sql));
  command
    .command('reset')
    .description('drop every table the migrations created, then apply all migrations again')
    .option(...APP_OPTION)
    .option('--yes', 'confirm a reset when NODE_ENV is production')
    .action(action<[]>(reset));
  return command;
}
