// What a server process tree costs, read from /proc (Linux): CPU time of the process and every
// descendant (a --workers primary and its workers), and their summed resident memory.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function isEsbuild(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'esbuild';
  } catch {
    return false;
  }
}

/** The process and all its live descendants, but for tsx's esbuild helper (not serving). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat && !isEsbuild(pid)) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** CPU seconds used so far by the processes (user + system). */
export function cpuSeconds(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0) / TICKS_PER_SECOND;
}

/** Summed resident memory of the processes, in MiB. */
export function rssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // Gone since the tree was read.
    }
  }
  return kib / 1024;
}

/** Samples the tree's resident memory every `interval` ms until stopped; resolves to the peak. */
export function samplePeakRss(pids: readonly number[], interval = 100): () => number {
  let peak = rssMiB(pids);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pids));
  }, interval);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMiB(pids));
  };
}
