// Builds the package's dist/: src/ compiled to JavaScript with its .d.ts (tsconfig.build.json),
// and every other file under src/ copied beside its modules, which read them at run time (the jobs
// dashboard's page). Run by `npm pack` and `npm publish` (prepack).

import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// Stale files of removed sources must not ship.
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
cpSync(path.join(ROOT, 'src'), DIST, {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
