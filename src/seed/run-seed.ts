// Runs an app's seed against its database: checks the schema is migrated, optionally skips a
// database that already holds data, hands the seed its context, and leaves key sequences usable.

import { type Config, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/open-database.ts';
import { MIGRATIONS_PENDING } from '../errors.ts';
import { pendingMigrations } from '../migrate/apply-migrations.ts';
import { deriveModel } from '../model/derive-model.ts';
import { loadSpec } from '../spec/index.ts';
import { type CheckpointStore, checkpointStore } from './checkpoint-store.ts';
import { importCsv } from './import-csv.ts';
import { syncPostgresSequences } from './postgres/sync-sequences.ts';
import { createProgressReporter, type ProgressReporter } from './progress.ts';
import { loadSeedModule } from './seed-module.ts';
import type { SeedArgs, SeedContext, SeedFunction } from './seed-types.ts';

/** The checkpoint of the seed run as a whole. */
export const SEED_RUN_CHECKPOINT = '(seed run)';

export interface RunSeedOptions {
  appDir?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<Config>;
  args?: SeedArgs;
  /** Seed only a database with no rows in its tables, or one whose earlier seed did not finish. */
  ifEmpty?: boolean;
  /** Records per transaction in importCsv. */
  batchSize?: number;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** The seed to run instead of the app's seed module. */
  seed?: SeedFunction;
}

export interface RunSeedResult {
  ran: boolean;
  /** Why the seed did not run. */
  skipped?: string;
  /** The seed module's `notice` export, to show after the run. */
  notice?: string;
}

async function hasRows(db: Database): Promise<boolean> {
  for (const table of db.model.tables) {
    const { rows } = await db
      .repository(table.schemaName)
      .list({ filters: {}, sort: [], limit: 1 });
    if (rows.length > 0) return true;
  }
  return false;
}

async function skipReason(db: Database, checkpoints: CheckpointStore): Promise<string | undefined> {
  if ((await checkpoints.unfinished()).length > 0) return undefined;
  return (await hasRows(db)) ? 'the database already holds data' : undefined;
}

export async function runSeed(options: RunSeedOptions = {}): Promise<RunSeedResult> {
  const config = loadConfig(options);
  const spec = await loadSpec(config.specPath);
  const model = deriveModel(spec.document, spec.file);
  const db = await openDatabase({ url: config.databaseUrl, model, baseDir: config.appDir });
  const progress = options.progress ?? createProgressReporter();
  try {
    const pending = await pendingMigrations(db, config.migrationsDir);
    if (pending.length > 0) {
      throw MIGRATIONS_PENDING(
        `${pending.length} migration(s) pending (${pending.join(', ')}): run \`specstack migrate up\` before seeding`,
      );
    }
    const checkpoints = checkpointStore(db.client);
    await checkpoints.ensure();
    const module = options.seed ? { seed: options.seed } : await loadSeedModule(config.appDir);
    const notice = module.notice ? { notice: module.notice } : {};
    if (options.ifEmpty) {
      const skipped = await skipReason(db, checkpoints);
      if (skipped) return { ran: false, skipped, ...notice };
    }
    const signal = options.signal ?? new AbortController().signal;
    const context: SeedContext = {
      db,
      config,
      args: options.args ?? {},
      progress,
      signal,
      log: (line) => progress.log(line),
      importCsv: (importOptions) =>
        importCsv(
          { db, checkpoints, progress, signal },
          { batchSize: options.batchSize, ...importOptions },
        ),
    };
    // The run itself has a checkpoint, so a seed interrupted outside any import is not mistaken
    // for a finished one by --if-empty.
    const run = { name: SEED_RUN_CHECKPOINT, fingerprint: 'run', records: 0 };
    await db.transaction((tx) => checkpoints.write(tx, { ...run, done: false }));
    try {
      await module.seed(context);
      await db.transaction((tx) => checkpoints.write(tx, { ...run, done: true }));
    } finally {
      // Even a failed seed may have committed rows with explicit keys.
      if (db.client.dialect === 'postgres') await syncPostgresSequences(db.client.pool, model);
    }
    return { ran: true, ...notice };
  } finally {
    await db.close();
  }
}
