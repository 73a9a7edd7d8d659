// `specstack start --workers N` as a user runs it: a primary and its worker processes on one port,
// real requests on fresh connections, real signals.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESTARTS, mayRestart, RESTART_WINDOW } from '../../src/cli/start-cluster.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');

type LogLine = { pid: number; msg: string; req?: { method: string } };

function startCluster(
  appDir: string,
  databaseUrl: string,
  workers: string,
  env: Record<string, string> = { SPECSTACK_AUTO_MIGRATE: '1' },
) {
  const child = spawn(process.execPath, [BIN, 'start', '--app', appDir, '--workers', workers], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let partial = '';
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const text of lines.filter(Boolean)) {
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      for (const waiter of waiters.filter((w) => w.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** The first log line (already written or to come) that passes `test`. */
  const logLine = (test: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve, reject) => {
      const found = logs.find(test);
      if (found) return resolve(found);
      waiters.push({ test, resolve });
      exited.then(() => reject(new Error(`exited first; stderr: ${stderr}`)));
    });
  return { child, logs, exited, logLine, stderr: () => stderr };
}

/** A GET on a connection of its own, so the primary hands it to the next worker in turn. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume().on('end', () => resolve(response.statusCode!));
      })
      .on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('specstack start --workers', () => {
  let dir: string;
  let cluster: ReturnType<typeof startCluster>;
  let url: string;
  let workerPids: number[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'specstack-workers-'));
    cpSync(PETSTORE, path.join(dir, 'app'), { recursive: true });
    cluster = startCluster(path.join(dir, 'app'), `sqlite:${path.join(dir, 'pets.db')}`, '2');
    await cluster.logLine((line) => line.msg.includes('2 worker(s) serving'));
    // Each process writes to the shared pipe on its own: a worker's line may follow the primary's.
    const servingLines = () =>
      cluster.logs.filter((line) => /^worker \d+ serving at /.test(line.msg));
    await cluster.logLine(() => servingLines().length >= 2);
    const serving = servingLines();
    workerPids = serving.map((line) => line.pid);
    url = /serving at (\S+)/.exec(serving[0]!.msg)![1]!;
  }, 90_000);
  afterAll(() => {
    for (const pid of workerPids ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    cluster?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from two worker processes on one port, announcing it once', () => {
    const serving = cluster.logs.filter((line) => /^worker \d+ serving at /.test(line.msg));
    expect(new Set(workerPids).size).toBe(2);
    expect(workerPids).not.toContain(cluster.child.pid);
    expect(new Set(serving.map((line) => line.msg.replace(/^worker \d+ /, ''))).size).toBe(1);
    expect(cluster.logs.filter((line) => line.msg.startsWith('serving '))).toHaveLength(1);
  });

  it('applies the pending migration once, though two workers start', () => {
    const applied = cluster.logs.filter((line) => line.msg.startsWith('applied migration'));
    expect(applied).toHaveLength(1);
    expect(cluster.stderr()).toBe('');
  });

  it('spreads connections over both workers', async () => {
    const served = () =>
      new Set(
        cluster.logs.filter((line) => line.msg === 'request completed').map((line) => line.pid),
      );
    for (let i = 0; i < 20 && served().size < 2; i += 1) {
      expect(await getOnNewConnection(`${url}/api/pets?limit=1`)).toBe(200);
      // Each request's log line is written after its response: let it arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...served()].sort()).toEqual([...workerPids].sort());
  });

  it('replaces a worker that dies', async () => {
    const [victim] = workerPids;
    process.kill(victim!, 'SIGKILL');
    const replacement = await cluster.logLine(
      (line) => /^worker \d+ serving at /.test(line.msg) && !workerPids.includes(line.pid),
    );
    workerPids.push(replacement.pid);
    expect(alive(victim!)).toBe(false);
    expect(await getOnNewConnection(`${url}/api/pets/1`)).toBe(404);
  }, 60_000);

  it('on SIGTERM lets the request in flight finish, then every process exits 0', async () => {
    // A POST whose body arrives only after the signal: in flight for certain when it comes.
    const body = JSON.stringify({ name: 'Rex', tag: 'dog' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${url}/api/pets`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      });
      request.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      request.on('error', reject);
      request.write(body.slice(0, 5));
      // Sent once the worker holds the half-read request.
      cluster
        .logLine((line) => line.msg === 'incoming request' && line.req?.method === 'POST')
        .then(async () => {
          cluster.child.kill('SIGTERM');
          const live = workerPids.filter(alive);
          await Promise.all(
            live.map((pid) =>
              cluster.logLine((line) => line.pid === pid && line.msg.includes('SIGTERM received')),
            ),
          );
          request.end(body.slice(5));
        }, reject);
    });
    const answered = await response;
    expect(answered.status).toBe(201);
    expect(JSON.parse(answered.body)).toMatchObject({ name: 'Rex', tag: 'dog' });
    expect(await cluster.exited).toBe(0);
    expect(workerPids.filter(alive)).toEqual([]);
  }, 60_000);
});

describe('specstack start --workers, refusing to start', () => {
  it('reports pending migrations once and exits 1 without restarting workers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'specstack-workers-'));
    try {
      cpSync(PETSTORE, path.join(dir, 'app'), { recursive: true });
      const cluster = startCluster(path.join(dir, 'app'), `sqlite:${path.join(dir, 'a.db')}`, '2', {
        SPECSTACK_AUTO_MIGRATE: '0',
      });
      expect(await cluster.exited).toBe(1);
      expect(cluster.stderr().match(/SPECSTACK_ERR_MIGRATIONS_PENDING/g)).toHaveLength(1);
      expect(cluster.stderr()).toContain('specstack migrate up');
      expect(cluster.logs.filter((line) => line.msg.includes('starting another'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the restart budget', () => {
  it(`allows ${MAX_RESTARTS} restarts within ${RESTART_WINDOW / 1000} s, then no more`, () => {
    const now = 1_000_000;
    const recent = Array.from({ length: MAX_RESTARTS }, (_, i) => now - i * 1000);
    expect(mayRestart(recent.slice(1), now)).toBe(true);
    expect(mayRestart(recent, now)).toBe(false);
    expect(mayRestart(recent, now + RESTART_WINDOW)).toBe(true);
  });
});
