// Both servers run as plain JavaScript, as they would in production: specstack's package is built
// (dist/, what `npm install specstack` runs) and the hand-written baselines are compiled with tsc.
// Neither process then pays for a TypeScript loader.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO } from './databases.ts';

const BENCH = path.join(REPO, 'bench');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export interface CompiledServers {
  /** specstack's compiled command: `node <main> start …`. */
  specstackMain: string;
  /** The compiled file of a baseline's source. */
  handwritten(source: string): string;
  /** Deletes the compiled baselines (dist/ stays: it is the package's build). */
  remove(): void;
}

/** Builds the package and compiles the baselines' sources (files under bench/). */
export function compileServers(sources: readonly string[]): CompiledServers {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/build.ts')], {
    cwd: REPO,
    stdio: 'inherit',
  });
  // Inside the repository, so the compiled baselines resolve fastify and better-sqlite3 from it.
  const out = mkdtempSync(path.join(BENCH, '.compiled-'));
  execFileSync(
    process.execPath,
    [
      tsc,
      ...['--outDir', out, '--rootDir', BENCH],
      ...['--module', 'nodenext', '--target', 'es2022', '--skipLibCheck'],
      '--rewriteRelativeImportExtensions',
      ...sources,
    ],
    { cwd: REPO, stdio: 'inherit' },
  );
  return {
    specstackMain: path.join(REPO, 'dist/cli/main.js'),
    handwritten: (source) => path.join(out, path.relative(BENCH, source).replace(/\.ts$/, '.js')),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
