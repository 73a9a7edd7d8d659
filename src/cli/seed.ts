// `specstack seed`: runs the app's seed.ts. Options the command does not know are handed to the
// seed as its args (`--movies ml/movies.csv` -> args.movies). Ctrl-C stops after the batch in hand,
// keeping the checkpoint, so the next run resumes.

import { Command, InvalidArgumentError } from 'commander';
import { runSeed } from '../seed/run-seed.ts';
import type { SeedArgs } from '../seed/seed-types.ts';
import { reportError } from './report-error.ts';

interface SeedOptions {
  app?: string;
  ifEmpty?: boolean;
  batchSize?: number;
}

/** `--key value`, `--key=value` and bare `--flag` (true) into an object keyed by camelCase names. */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const args: SeedArgs = {};
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (!token.startsWith('--')) {
      throw new InvalidArgumentError(
        `unexpected argument "${token}": seed options look like --name value`,
      );
    }
    const [rawName, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const name = rawName.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (inline !== undefined) args[name] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args[name] = argv[++i]!;
    else args[name] = true;
  }
  return args;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('must be a positive integer');
  }
  return parsed;
}

function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('stopping after the current batch (again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

export function seedCommand(): Command {
  return new Command('seed')
    .description("load the app's seed data (its seed.ts); resumable, and safe to run twice")
    .option('--app <dir>', 'the app folder (default: the current folder)')
    .option(
      '--if-empty',
      'seed only a database that holds no data yet, or whose last seed was cut short',
    )
    .option('--batch-size <n>', 'records per transaction when importing files', positiveInteger)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (options: SeedOptions, command: Command) => {
      const signals = abortOnSignals();
      try {
        const result = await runSeed({
          ...(options.app ? { appDir: options.app } : {}),
          args: parseSeedArgs(command.args),
          ifEmpty: options.ifEmpty === true,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          signal: signals.signal,
        });
        if (!result.ran) process.stdout.write(`seed skipped: ${result.skipped}\n`);
        if (result.notice) process.stdout.write(`${result.notice}\n`);
        if (signals.signal.aborted) {
          process.stderr.write('seed stopped early: run the same command again to resume\n');
          process.exitCode = 130;
        }
      } catch (error) {
        reportError(error);
      } finally {
        signals.dispose();
      }
    });
}
