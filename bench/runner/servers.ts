// Starts each server as a process of its own on a free port, timing spawn -> first 200 on the
// suite's ready path (GET /api/pets/1 for the petstore), and stops it with SIGTERM.

import { spawn } from 'node:child_process';
import { freePort } from '../../test/support/free-port.ts';
import type { CompiledServers } from './compile.ts';
import { type BenchDatabase, BIN, type Dialect, REPO } from './databases.ts';
import type { ServedApp } from './suite.ts';

export type ServerKind = 'specstack' | 'handwritten';

export interface ServerOptions {
  kind: ServerKind;
  served: ServedApp;
  dialect: Dialect;
  database: BenchDatabase;
  /** specstack only: `start --workers N`. */
  workers?: number;
  /** Run compiled (the benchmark); without it, from the TypeScript sources (tests). */
  compiled?: CompiledServers;
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200. */
  startMs: number;
  stop(): Promise<void>;
}

function command(options: ServerOptions): string[] {
  if (options.kind === 'specstack') {
    const workers = options.workers ? ['--workers', String(options.workers)] : [];
    const main = options.compiled?.specstackMain ?? BIN;
    return [main, 'start', '--app', options.served.app, ...workers];
  }
  const source = options.served.handwritten[options.dialect];
  return options.compiled ? [options.compiled.handwritten(source)] : ['--import', 'tsx', source];
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, command(options), {
    cwd: REPO,
    env: {
      ...process.env,
      ...options.served.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SPECSTACK_AUTO_MIGRATE: '0',
      DATABASE_URL: options.database.url,
      ...(options.kind === 'handwritten' ? options.database.handwrittenEnv : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`${options.kind} exited before serving:\n${output}`);
    const status = await fetch(`${url}${options.served.readyPath}`).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => 0,
    );
    if (status === 200) {
      return { url, pid: child.pid!, startMs: performance.now() - started, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`${options.kind} served no 200 within 60 s:\n${output}`);
}
