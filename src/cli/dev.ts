// `specstack dev`: serves the app with pending migrations applied, and restarts it whenever a file
// of the app changes (the spec, handlers, migrations); a spec change also regenerates types/spec.ts.
// The server runs in a child process, so every restart starts from fresh modules; a broken edit
// leaves the watcher waiting for the fix.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { findSpecFile } from '../config.ts';
import { DEFAULT_TYPES_FILE, writeTypes } from '../types/write-types.ts';

const BIN = fileURLToPath(new URL('../../bin/specstack.js', import.meta.url));

/** Paths under the app that change while it runs, or are not the app's source. */
const IGNORED = [
  /^data(\/|$)/,
  /(^|\/)node_modules(\/|$)/,
  /(^|\/)\.git(\/|$)/,
  // The app's compiled TypeScript modules (compiled-typescript.ts).
  /(^|\/)\.specstack(\/|$)/,
  /-(journal|wal|shm)$/,
  // The generated types: dev rewrites them after a spec change, and no behaviour hangs on them.
  /^types(\/spec\.ts)?$/,
];

export function isWatchedChange(relativePath: string): boolean {
  const normalized = relativePath.split(path.sep).join('/');
  return !IGNORED.some((pattern) => pattern.test(normalized));
}

/** Calls `onChange` once per burst of changes (editors write a file in several steps). */
export function watchApp(
  appDir: string,
  onChange: (file: string) => void,
  quietMs = 200,
): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's folder and its files
  return watch(appDir, { recursive: true }, (_event, file) => {
    if (!file || !isWatchedChange(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(String(file)), quietMs);
  });
}

/** A YAML or JSON file outside migrations/: part of the spec, which the types follow. */
export function isSpecChange(relativePath: string): boolean {
  const normalized = relativePath.split(path.sep).join('/');
  return (
    /\.(ya?ml|json)$/.test(normalized) &&
    !/(^|\/)(migrations|package(-lock)?\.json)/.test(normalized)
  );
}

/** Brings types/spec.ts up to date; a spec that does not load is the server's to report. */
async function regenerateTypes(appDir: string): Promise<void> {
  try {
    const result = await writeTypes({ appDir });
    if (result.changed) process.stderr.write(`specstack dev: ${DEFAULT_TYPES_FILE} regenerated\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`specstack dev: ${DEFAULT_TYPES_FILE} not regenerated: ${reason}\n`);
  }
}

/**
 * Types the app already has, older than its spec (edited while dev was not running). Missing ones
 * wait for the first spec edit: a start should not pay for the generator unasked.
 */
function typesOutdated(appDir: string): boolean {
  const types = path.join(appDir, DEFAULT_TYPES_FILE);
  const spec = findSpecFile(appDir);
  return (
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the app's folder and its files
    existsSync(types) && spec !== undefined && statSync(spec).mtimeMs > statSync(types).mtimeMs
  );
}

function startChild(appDir: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'start', '--app', appDir], {
    env: { ...process.env, SPECSTACK_AUTO_MIGRATE: '1' },
    stdio: 'inherit',
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function dev(appDir: string): Promise<void> {
  let child = startChild(appDir);
  let restarting = typesOutdated(appDir) ? regenerateTypes(appDir) : Promise.resolve();
  const watcher = watchApp(appDir, (file) => {
    restarting = restarting.then(async () => {
      process.stderr.write(`specstack dev: ${file} changed, restarting\n`);
      await stopChild(child);
      child = startChild(appDir);
      if (isSpecChange(file)) await regenerateTypes(appDir);
    });
  });
  const shutdown = async () => {
    watcher.close();
    await restarting;
    await stopChild(child);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

export function devCommand(): Command {
  return new Command('dev')
    .description('serve the app, applying pending migrations, and restart it when its files change')
    .option('--app <dir>', 'the app folder (holds openapi.yaml)', process.cwd())
    .action(async (options: { app: string }) => {
      await dev(path.resolve(options.app));
    });
}
