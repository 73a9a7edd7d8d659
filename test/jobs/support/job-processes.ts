// Real `specstack worker` and `specstack jobs …` processes on the jobs fixture app, as a user (or
// an orchestrator killing one) would run them.

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../../bin/specstack.js');
export const JOBS_APP = path.resolve(import.meta.dirname, '../../fixtures/apps/jobs');

export interface SpawnedProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once the output contains `text`. */
  waitFor(text: string | RegExp, timeout?: number): Promise<void>;
}

export function spawnSpecstack(args: string[], env: Record<string, string>): SpawnedProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(text, timeout = 20_000) {
      const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      if (found()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${text} within ${timeout} ms; output:\n${output}`));
        }, timeout);
        const check = () => {
          if (!found()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        child.on('exit', () => {
          setTimeout(() => {
            if (!found()) {
              clearTimeout(timer);
              reject(new Error(`exited before ${text}; output:\n${output}`));
            }
          }, 50);
        });
      });
    },
  };
}
