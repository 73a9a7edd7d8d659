// `specstack migrate make <name>` and `specstack migrate up`: the command line over migrate/.
// Prints what was done; a failure prints `error CODE: message` on stderr and exits with 1.

import path from 'node:path';
import { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import { openDatabase } from '../db/open-database.ts';
import { isSpecstackError } from '../errors.ts';
import { migrateUp } from '../migrate/apply-migrations.ts';
import { makeMigration } from '../migrate/make-migration.ts';
import { deriveModel } from '../model/derive-model.ts';
import { loadSpec } from '../spec/load-spec.ts';

interface MigrateOptions {
  app?: string;
  allowDestructive?: boolean;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Paths are shown relative to the app folder, as the user thinks of them: `migrations/sqlite/…`. */
function shown(config: Config, file: string): string {
  return path.relative(config.appDir, file) || '.';
}

function reportError(error: unknown): void {
  const code = isSpecstackError(error)
    ? error.code
    : typeof (error as { code?: unknown })?.code === 'string'
      ? (error as { code: string }).code
      : 'SPECSTACK_ERR_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error ${code}: ${message}\n`);
  if (process.env.SPECSTACK_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = 1;
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

async function make(config: Config, name: string, options: MigrateOptions): Promise<void> {
  const spec = await loadSpec(config.specPath);
  const model = deriveModel(spec.document, shown(config, spec.file));
  const made = await makeMigration({
    model,
    migrationsDir: config.migrationsDir,
    name,
    specFile: spec.file,
    allowDestructive: options.allowDestructive === true,
  });
  print(`created migration ${made.id}_${made.name}`);
  for (const file of made.files) {
    const dialect = path.basename(path.dirname(file)) as keyof typeof made.statements;
    const count = made.statements[dialect]?.length ?? 0;
    const detail = file.endsWith('.sql') ? ` (${count} statement${count === 1 ? '' : 's'})` : '';
    print(`  ${shown(config, file)}${detail}`);
  }
  for (const change of made.destructive) print(`warning: this migration ${change}`);
  print('review the SQL, then run: specstack migrate up');
}

async function up(config: Config): Promise<void> {
  // Applying needs only the connection, not the model's tables: the spec may be ahead of the files.
  const db = await openDatabase({
    url: config.databaseUrl,
    model: { tables: [] },
    baseDir: config.appDir,
  });
  try {
    const { applied } = await migrateUp(db, config.migrationsDir);
    if (applied.length === 0) {
      print(`database is up to date (${db.displayUrl})`);
      return;
    }
    for (const key of applied) print(`applied ${key}`);
    print(
      `${applied.length} migration${applied.length === 1 ? '' : 's'} applied to ${db.displayUrl}`,
    );
  } finally {
    await db.close();
  }
}

export function migrateCommand(): Command {
  const command = new Command('migrate')
    .description('generate migrations from the spec and apply them')
    .option(
      '--app <dir>',
      'the app folder, holding the spec and migrations/ (default: the current folder)',
    );
  command
    .command('make')
    .description(
      'write a migration for each dialect from the changes to the spec since the last one',
    )
    .argument('<name>', 'what the migration does, e.g. add-owners')
    .option('--app <dir>', 'the app folder (default: the current folder)')
    .option('--allow-destructive', 'write the migration even if it drops tables or columns')
    .action(action<[string]>(make));
  command
    .command('up')
    .description('apply pending migrations to the database at DATABASE_URL')
    .option('--app <dir>', 'the app folder (default: the current folder)')
    .action(action<[]>(up));
  return command;
}
