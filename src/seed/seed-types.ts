// What an app's seed module receives and exports. The app's `seed.ts` default-exports (or exports
// as `seed`) a function of a SeedContext; `specstack seed` runs it.

import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { ImportCsvOptions, ImportResult } from './import-csv.ts';
import type { ProgressReporter } from './progress.ts';

/** Options given after the command's own: `--movies a.csv --fresh` -> { movies: 'a.csv', fresh: true }. */
export type SeedArgs = Record<string, string | boolean>;

export interface SeedContext {
  db: Database;
  config: Config;
  args: SeedArgs;
  progress: ProgressReporter;
  /** Aborted on SIGINT/SIGTERM: imports stop after the batch in hand, keeping their checkpoint. */
  signal: AbortSignal;
  /** importCsv with this context's database, progress, signal and batch size filled in. */
  importCsv(options: ImportCsvOptions): Promise<ImportResult>;
  /** A line of output (above any progress bar). */
  log(line: string): void;
}

export type SeedFunction = (context: SeedContext) => Promise<void>;

/** Types an app's seed function; it is returned unchanged. */
export function defineSeed(seed: SeedFunction): SeedFunction {
  return seed;
}
