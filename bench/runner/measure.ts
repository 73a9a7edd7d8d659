// One measured load: the autocannon child process (load.ts) driven over IPC, and the server's
// process tree read from /proc around it for CPU time and peak memory.

import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { LoadRequest, LoadResult } from './load.ts';
import { cpuSeconds, processTree, samplePeakRss } from './process-stats.ts';
import type { Sample } from './report.ts';
import type { RunningServer } from './servers.ts';
import type { Route } from './suite.ts';

/** The autocannon child: one load at a time, answered over IPC. */
export function startLoader() {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'load.ts'), {
    execArgv: ['--import', 'tsx'],
  });
  const run = (request: LoadRequest) =>
    new Promise<LoadResult>((resolve, reject) => {
      const died = (code: number | null) =>
        reject(new Error(`the load generator exited (${code})`));
      child.once('exit', died);
      child.once('message', (message: { result?: LoadResult; error?: string }) => {
        child.off('exit', died);
        if (message.result) resolve(message.result);
        else reject(new Error(message.error));
      });
      child.send(request);
    });
  return { run, stop: () => child.kill() };
}
export type Loader = ReturnType<typeof startLoader>;

export async function measure(
  loader: Loader,
  server: RunningServer,
  route: Route,
  load: { seconds: number; connections: number },
): Promise<Sample> {
  const pids = processTree(server.pid);
  const cpuBefore = cpuSeconds(pids);
  const peakRss = samplePeakRss(pids);
  const result = await loader.run({ url: server.url, route, ...load });
  const cpu = cpuSeconds(pids) - cpuBefore;
  return {
    ...result,
    cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.requests),
    peakRssMiB: peakRss(),
  };
}
