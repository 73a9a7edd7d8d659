// The specstack command line: one file per command, assembled here. Only the module of the command
// being run is imported (`specstack start` then loads no checker, seeder or scaffolder); help and
// unknown commands load them all, so commander can list them.

import { Command } from 'commander';

type CommandModule = () => Promise<Command>;

const COMMANDS: Record<string, CommandModule> = {
  new: async () => (await import('./new.ts')).newCommand(),
  start: async () => (await import('./start.ts')).startCommand(),
  dev: async () => (await import('./dev.ts')).devCommand(),
  migrate: async () => (await import('./migrate.ts')).migrateCommand(),
  seed: async () => (await import('./seed.ts')).seedCommand(),
  routes: async () => (await import('./routes.ts')).routesCommand(),
  lint: async () => (await import('./lint.ts')).lintCommand(),
  worker: async () => (await import('./worker.ts')).workerCommand(),
  jobs: async () => (await import('./jobs.ts')).jobsCommand(),
  types: async () => (await import('./types.ts')).typesCommand(),
  check: async () => (await import('./check.ts')).checkCommand(),
  compile: async () => (await import('./compile.ts')).compileCommand(),
};

const program = new Command('specstack').description(
  'spec-first REST APIs: one OpenAPI document in, a running service out',
);
const named = COMMANDS[process.argv[2] ?? ''];
const modules = named ? [named] : Object.values(COMMANDS);
for (const command of await Promise.all(modules.map((load) => load()))) {
  program.addCommand(command);
}

await program.parseAsync(process.argv);
