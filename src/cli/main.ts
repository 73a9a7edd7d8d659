// The specstack command line: one file per command, assembled here.

import { Command } from 'commander';
import { checkCommand } from './check.ts';
import { devCommand } from './dev.ts';
import { jobsCommand } from './jobs.ts';
import { lintCommand } from './lint.ts';
import { migrateCommand } from './migrate.ts';
import { newCommand } from './new.ts';
import { routesCommand } from './routes.ts';
import { seedCommand } from './seed.ts';
import { startCommand } from './start.ts';
import { typesCommand } from './types.ts';
import { workerCommand } from './worker.ts';

const program = new Command('specstack')
  .description('spec-first REST APIs: one OpenAPI document in, a running service out')
  .addCommand(newCommand())
  .addCommand(startCommand())
  .addCommand(devCommand())
  .addCommand(migrateCommand())
  .addCommand(seedCommand())
  .addCommand(routesCommand())
  .addCommand(lintCommand())
  .addCommand(workerCommand())
  .addCommand(jobsCommand())
  .addCommand(typesCommand())
  .addCommand(checkCommand());

await program.parseAsync(process.argv);
