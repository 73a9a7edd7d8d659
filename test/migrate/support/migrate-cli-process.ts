// `specstack migrate …` as a user runs it: the command's arguments come from the command line.

import { migrateCommand } from '../../../src/cli/migrate.ts';

await migrateCommand().parseAsync(process.argv);
