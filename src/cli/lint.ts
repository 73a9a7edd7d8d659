// `specstack lint`: warnings about what in the spec would hurt the generated service, with the
// exit code CI needs (1 when there are more warnings than --max-warnings allows).

import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { loadJobs } from '../jobs/load-jobs.ts';
import { formatJson, formatText } from '../lint/format-warnings.ts';
import { lintSpec } from '../lint/lint-spec.ts';
import { loadSpec } from '../spec/index.ts';
import { reportError } from './report-error.ts';

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return parsed;
}

export function lintCommand(): Command {
  return new Command('lint')
    .description('warn about what in the spec would hurt the service built from it')
    .argument('[spec]', "the OpenAPI document (default: the app's)")
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .addOption(
      new Option('--format <format>', 'text for people, json for CI')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--max-warnings <n>', 'exit with 1 only above this many warnings', count, 0)
    .action(
      async (
        specFile: string | undefined,
        options: { app: string; format: 'text' | 'json'; maxWarnings: number },
      ) => {
        try {
          const config = loadConfig({ appDir: options.app });
          const file = specFile ? path.resolve(specFile) : config.specPath;
          // The app's jobs, so that x-job names are checked: only for the app's own spec.
          const jobNames = specFile ? undefined : new Set((await loadJobs(config.jobsDir)).keys());
          const warnings = lintSpec(await loadSpec(file), undefined, jobNames ? { jobNames } : {});
          const format = options.format === 'json' ? formatJson : formatText;
          process.stdout.write(format(warnings));
          if (warnings.length > options.maxWarnings) process.exitCode = 1;
        } catch (error) {
          reportError(error);
        }
      },
    );
}
