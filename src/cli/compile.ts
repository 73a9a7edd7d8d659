// `specstack compile`: compiles the app's TypeScript modules (handlers, jobs, the seed, and what
// they import) into .specstack/compiled, which `start` otherwise does itself as it loads them. For
// images whose code is read-only at run time: compiled at build time, `start` finds them current.

import path from 'node:path';
import { Command } from 'commander';
import {
  COMPILED_DIR,
  compileTypeScript,
  isTypeScript,
  packageDirOf,
} from '../compiled-typescript.ts';
import { loadConfig } from '../config.ts';
import { handlerModuleFiles } from '../http/handler-modules.ts';
import { jobModuleFiles } from '../jobs/load-jobs.ts';
import { seedModuleFile } from '../seed/seed-module.ts';
import { reportError } from './report-error.ts';

/** The modules specstack itself imports from an app: every other one is reached from these. */
export function appEntryModules(appDir: string): string[] {
  const config = loadConfig({ appDir });
  const seed = seedModuleFile(appDir);
  return [
    ...handlerModuleFiles(config.handlersDir).map((file) => path.join(config.handlersDir, file)),
    ...jobModuleFiles(config.jobsDir).map((file) => path.join(config.jobsDir, file)),
    ...(seed ? [seed] : []),
  ];
}

export function compileCommand(): Command {
  return new Command('compile')
    .description(
      'compile the TypeScript modules of the app to JavaScript (start does it as needed)',
    )
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .action(async (options: { app: string }) => {
      try {
        const appDir = path.resolve(options.app);
        const entries = appEntryModules(appDir).filter(isTypeScript);
        for (const entry of entries) await compileTypeScript(entry);
        if (entries.length === 0) {
          process.stdout.write('no TypeScript modules to compile\n');
          return;
        }
        const packageDir = packageDirOf(entries[0]!) ?? appDir;
        const where = path.relative(process.cwd(), path.join(packageDir, COMPILED_DIR));
        const count = `${entries.length} module${entries.length === 1 ? '' : 's'}`;
        process.stdout.write(`compiled ${count} and what they import into ${where}\n`);
      } catch (error) {
        reportError(error);
      }
    });
}
