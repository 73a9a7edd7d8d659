// `specstack dev`: serves the app with pending migrations applied, and restarts it whenever a file
// of the app changes (the spec, handlers, migrations). The server runs in a child process, so
// every restart starts from fresh modules; a broken edit leaves the watcher waiting for the fix.

import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const BIN = fileURLToPath(new URL('../../bin/specstack.js', import.meta.url));

/** Paths under the app that change while it runs, or are not the app's source. */
const IGNORED = [
  /^data(\/|$)/,
  /(^|\/)node_modules(\/|$)/,
  /(^|\/)\.git(\/|$)/,
  /-(journal|wal|shm)$/,
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
  return watch(appDir, { recursive: true }, (_event, file) => {
    if (!file || !isWatchedChange(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(String(file)), quietMs);
  });
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
  let restarting = Promise.resolve();
  const watcher = watchApp(appDir, (file) => {
    restarting = restarting.then(async () => {
      process.stderr.write(`specstack dev: ${file} changed, restarting\n`);
      await stopChild(child);
      child = startChild(appDir);
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
