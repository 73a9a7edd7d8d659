// Starts several migrate-up-process.ts children together (each waits for `go` on stdin once
// connected) and returns each one's JSON result, so suites can race real processes.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const PROCESS = fileURLToPath(new URL('./migrate-up-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One argument list per process: `<url> <migrationsDir> [up|down] [--to id]`. */
export async function runInProcesses<T>(argLists: readonly string[][]): Promise<T[]> {
  const children = argLists.map((args) =>
    spawn(process.execPath, ['--import', 'tsx', PROCESS, ...args], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const outputs = children.map((child) => {
    let stdout = '';
    let stderr = '';
    // Settles on `ready`, or when the process ends without it (its output then tells why).
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.startsWith('ready\n')) resolve();
      });
      child.on('close', () => resolve());
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return { ready, done };
  });
  await Promise.all(outputs.map((output) => output.ready));
  for (const child of children) child.stdin.end('go\n');
  const results = await Promise.all(outputs.map((output) => output.done));
  return results.map((result) => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout.slice('ready\n'.length)) as T;
  });
}
