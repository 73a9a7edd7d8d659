// `specstack types`: writes the TypeScript of the app's spec (types/spec.ts) that handlers are
// typed by; `--check` fails instead when the committed file is out of date, for CI.

import path from 'node:path';
import { Command } from 'commander';
import { checkTypes, writeTypes } from '../types/write-types.ts';
import { reportError } from './report-error.ts';

export function typesCommand(): Command {
  return new Command('types')
    .description('generate the TypeScript types of the spec: schemas, operations, typed handlers')
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .option(
      '--out <file>',
      'the file to write, relative to the app folder (default: types/spec.ts)',
    )
    .option('--check', 'write nothing; fail when the file is not what the spec generates')
    .action(async (options: { app: string; out?: string; check?: boolean }) => {
      try {
        const target = { appDir: path.resolve(options.app), out: options.out };
        const result = options.check ? await checkTypes(target) : await writeTypes(target);
        const shown = path.relative(process.cwd(), result.file) || result.file;
        const verdict = options.check ? 'is up to date' : result.changed ? 'written' : 'unchanged';
        process.stdout.write(`${shown} ${verdict}\n`);
      } catch (error) {
        reportError(error);
      }
    });
}
