// Progress of long imports: a bar on a terminal (cli-progress), and on anything else (CI logs,
// pipes) a plain line per interval, so logs stay readable.

import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

export interface ProgressTask {
  /** `done` of the task's total units (bytes of a file), and the records handled so far. */
  update(done: number, records: number): void;
  /** Ends the task with its record count: `done`, or `stopped` early (by a signal or an error). */
  finish(records: number, outcome?: 'done' | 'stopped'): void;
}

export interface ProgressReporter {
  /** Starts a task measured in `total` units (0 when unknown). */
  start(label: string, total: number): ProgressTask;
  /** A line of output. */
  log(line: string): void;
}

export interface ProgressOptions {
  stream?: Writable & { isTTY?: boolean };
  /** Draw a bar; defaults to whether the stream is a terminal. */
  tty?: boolean;
  /** Least time between two plain progress lines, in milliseconds. */
  interval?: number;
}

const percent = (done: number, total: number) =>
  total > 0 ? ` (${Math.min(100, Math.floor((done / total) * 100))}%)` : '';

function lineReporter(stream: Writable, interval: number): ProgressReporter {
  const log = (line: string) => stream.write(`${line}\n`);
  return {
    log,
    start(label, total) {
      const started = Date.now();
      let last = 0;
      return {
        update(done, records) {
          const now = Date.now();
          if (now - last < interval) return;
          last = now;
          log(`${label}: ${records} records${percent(done, total)}`);
        },
        finish(records, outcome = 'done') {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          log(`${label}: ${outcome}, ${records} records in ${seconds} s`);
        },
      };
    },
  };
}

function barReporter(stream: Writable & { isTTY?: boolean }): ProgressReporter {
  let active: cliProgress.SingleBar | undefined;
  return {
    log(line) {
      // cli-progress redraws below whatever was written; clear the bar line first.
      if (active) stream.write('\r\x1b[K');
      stream.write(`${line}\n`);
    },
    start(label, total) {
      const bar = new cliProgress.SingleBar(
        {
          format: '{label} |{bar}| {percentage}% | {records} records | {duration_formatted}',
          stream: stream as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: false,
          // A bar asked for on a stream that is not a terminal (a test, a `script` log) still draws.
          noTTYOutput: stream.isTTY !== true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { label, records: 0 });
      active = bar;
      return {
        update(done, records) {
          bar.update(done, { records });
        },
        finish(records, outcome = 'done') {
          if (outcome === 'done') bar.update(Math.max(total, 1), { records });
          else bar.update({ records });
          bar.stop();
          active = undefined;
          if (outcome !== 'done') stream.write(`${label}: ${outcome} after ${records} records\n`);
        },
      };
    },
  };
}

export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stdout;
  const tty = options.tty ?? stream.isTTY === true;
  return tty ? barReporter(stream) : lineReporter(stream, options.interval ?? 2000);
}
