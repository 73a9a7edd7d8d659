// The primary of `specstack start --workers N`: forks the workers (each runs the start command
// again and serves on the shared port), relays SIGTERM and SIGINT to them, restarts one that
// crashes, and exits when all are gone. It never loads the server's modules.

import cluster, { type Worker } from 'node:cluster';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';

/** A worker restarted more often than this within RESTART_WINDOW is crash-looping: give up. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW = 60_000;

/** Whether one more restart stays within the budget, given the times of the recent ones. */
export function mayRestart(restarts: readonly number[], now: number): boolean {
  return restarts.filter((time) => now - time < RESTART_WINDOW).length < MAX_RESTARTS;
}

function primaryLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    ...(config.logFormat === 'pretty'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname' },
          },
        }
      : {}),
  });
}

const isListening = (message: unknown) =>
  (message as { type?: unknown } | null)?.type === 'listening';

export async function superviseWorkers(count: number, config: Config): Promise<void> {
  const log = primaryLogger(config);
  const restarts: number[] = [];
  const listening = new WeakSet<Worker>();
  let stopping = false;
  let exitCode = 0;

  const alive = () =>
    Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
  const stopAll = (code: number) => {
    exitCode ||= code;
    stopping = true;
    const workers = alive();
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill('SIGTERM');
  };
  /** Forks a worker; resolves when it listens, rejects when it dies before that. */
  const fork = () =>
    new Promise<void>((resolve, reject) => {
      const worker = cluster.fork();
      worker.on('message', (message) => {
        if (!isListening(message)) return;
        listening.add(worker);
        resolve();
      });
      worker.once('exit', () => reject(new Error('exited before listening')));
    });

  // Workers ignore SIGINT (Ctrl-C reaches the whole process group): the primary's SIGTERM alone
  // starts each one's graceful close, and a second signal is relayed as theirs to give up on it.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      log.info(`${signal} received: stopping ${alive().length} worker(s) gracefully`);
      stopAll(0);
    });
  }
  cluster.on('exit', (worker, code, signal) => {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      exitCode ||= code ?? 0;
    } else if (!listening.has(worker)) {
      // It failed to start (pending migrations, a bad spec): another would fail the same way.
      stopAll(code || 1);
    } else if (mayRestart(restarts, Date.now())) {
      restarts.push(Date.now());
      log.error(`worker ${worker.process.pid} exited with ${how}: starting another`);
      fork().catch(() => {});
    } else {
      log.error(
        `worker ${worker.process.pid} exited with ${how} after ${MAX_RESTARTS} restarts within ${RESTART_WINDOW / 1000} s: stopping`,
      );
      stopAll(1);
    }
    if (stopping && alive().length === 0) process.exit(exitCode);
  });

  // The first worker starts alone: what a start writes (framework migrations, SPECSTACK_AUTO_MIGRATE)
  // happens once, and a refusal to start (pending migrations) is reported once, not N times.
  try {
    await fork();
    const rest = Array.from({ length: count - 1 }, fork);
    // When one fails, the others are stopped: their failures need no handling of their own.
    for (const started of rest) started.catch(() => {});
    await Promise.all(rest);
  } catch {
    return;
  }
  log.info(`${count} worker(s) serving, primary pid ${process.pid}`);
}
