// `specstack new <name>`: creates a runnable app folder; asks nothing, flags for the rest. Prints
// the commands that come next (installing is left to the user's package manager).

import path from 'node:path';
import { Command } from 'commander';
import { scaffoldApp } from '../scaffold/scaffold-app.ts';
import { reportError } from './report-error.ts';

interface NewOptions {
  dir?: string;
  specstack?: string;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function create(name: string, options: NewOptions): Promise<void> {
  const { dir, files } = await scaffoldApp({ name, ...options });
  const shown = path.relative(process.cwd(), dir) || '.';
  print(`created ${name} in ${shown}`);
  for (const file of files) print(`  ${file}`);
  print('next:');
  if (shown !== '.') print(`  cd ${shown}`);
  print('  npm install');
  print('  npm start    # http://127.0.0.1:8000/api, docs at http://127.0.0.1:8000/docs');
  print('  npm test');
}

export function newCommand(): Command {
  return new Command('new')
    .description(
      'create an app: a spec with one resource, a handler, its first migration, tests, a Dockerfile and CI',
    )
    .argument('<name>', "the app's package name, and its folder unless --dir says otherwise")
    .option('--dir <dir>', 'the folder to create it in (default: ./<name>)')
    .option(
      '--specstack <dependency>',
      'the specstack dependency to write: a version range, or a packed .tgz (default: ^ this version)',
    )
    .action(async (name: string, options: NewOptions) => {
      try {
        await create(name, options);
      } catch (error) {
        reportError(error);
      }
    });
}
