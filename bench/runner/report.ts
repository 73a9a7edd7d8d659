// Sums up the samples (median of rounds; memory at its peak), prints the table and writes the
// JSON with a description of the machine.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.ts';

export interface Sample extends LoadResult {
  cpuUsPerRequest: number;
  peakRssMiB: number;
}

export interface Summary {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  peakRssMiB: number;
  wrong: number;
  samples: Sample[];
}

export interface RouteResult {
  route: string;
  specstack: Summary;
  handwritten: Summary;
  /** specstack / hand-written: above 1 is better for req/s, worse for CPU. */
  ratio: { rps: number; cpuPerRequest: number };
}

export interface DialectResult {
  /** The suite the routes belong to (`petstore`, `movies`). */
  suite: string;
  dialect: string;
  startMs: { specstack: number[]; handwritten: number[] };
  idleRssMiB: { specstack: number; handwritten: number };
  routes: RouteResult[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * specstack's figure over the baseline's, round by round, and the median of those: the two loads
 * of a round run back to back, so a slow minute of the machine moves both figures of its round
 * and not their ratio.
 */
export function pairedRatio(specstack: readonly number[], handwritten: readonly number[]): number {
  return median(specstack.map((value, round) => value / handwritten[round]!));
}

export function summarize(samples: Sample[]): Summary {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    cpuUsPerRequest: median(samples.map((s) => s.cpuUsPerRequest)),
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    wrong: samples.reduce((sum, s) => sum + s.wrong, 0),
    samples,
  };
}

export function describeMachine() {
  const release = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  })();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${release ?? os.type()} (${os.type()} ${os.release()} ${os.arch()})`,
    loadAverageAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);
const pair = (format: (v: number) => string, s: number, h: number) => `${format(s)} / ${format(h)}`;

export function printTable(result: DialectResult, heading: string): void {
  const rows = [
    [
      'route',
      'req/s specstack / hand = ratio',
      'p50 ms',
      'p99 ms',
      'CPU µs/req (ratio)',
      'peak RSS MiB',
    ],
    ...result.routes.map(({ route, specstack: s, handwritten: h, ratio }) => [
      route + (s.wrong || h.wrong ? ` (!${s.wrong}/${h.wrong} wrong)` : ''),
      `${pair(int, s.rps, h.rps)} = ${ratio.rps.toFixed(2)}×`,
      pair(ms, s.p50, h.p50),
      pair(ms, s.p99, h.p99),
      `${pair(int, s.cpuUsPerRequest, h.cpuUsPerRequest)} (${ratio.cpuPerRequest.toFixed(2)}×)`,
      pair(int, s.peakRssMiB, h.peakRssMiB),
    ]),
    [
      'start to first 200, ms',
      pair(int, median(result.startMs.specstack), median(result.startMs.handwritten)),
    ],
    ['RSS when idle, MiB', pair(int, result.idleRssMiB.specstack, result.idleRssMiB.handwritten)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log(`\n${heading}`);
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

export function writeResults(file: string, results: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Three decimals are more than any of these figures can tell apart.
  const rounded = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
  writeFileSync(file, `${JSON.stringify(results, rounded, 2)}\n`);
}
