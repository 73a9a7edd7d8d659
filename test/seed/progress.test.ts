// Progress output: a bar on a terminal, plain lines elsewhere; and the seed command's own options.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSeedArgs } from '../../src/cli/seed.ts';
import { createProgressReporter } from '../../src/seed/progress.ts';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('progress reporter', () => {
  it('draws a bar with the percentage and record count on a terminal', () => {
    const out = sink();
    const task = createProgressReporter({ stream: out.stream, tty: true }).start(
      'ratings.csv',
      200,
    );
    task.update(100, 1234);
    task.finish(2000);
    // Redraws are throttled, so the bar is checked where it is always drawn: at start and finish.
    expect(out.text()).toMatch(/ratings\.csv \|░+\| 0% \| 0 records/);
    expect(out.text()).toMatch(/ratings\.csv \|█+\| 100% \| 2000 records/);
  });

  it('writes at most one plain line per interval elsewhere, and always the last', () => {
    const out = sink();
    const task = createProgressReporter({ stream: out.stream, tty: false, interval: 60_000 }).start(
      'ratings.csv',
      100,
    );
    task.update(10, 10);
    task.update(20, 20);
    task.update(30, 30);
    task.finish(100);
    expect(out.text().trim().split('\n')).toEqual([
      'ratings.csv: 10 records (10%)',
      expect.stringMatching(/^ratings\.csv: done, 100 records in [\d.]+ s$/),
    ]);
  });

  it('says where an import stopped when it did not finish', () => {
    const out = sink();
    createProgressReporter({ stream: out.stream, tty: false })
      .start('m.csv', 10)
      .finish(4, 'stopped');
    expect(out.text()).toMatch(/^m\.csv: stopped, 4 records/);
  });
});

describe('seed command arguments', () => {
  it('hands unknown options to the seed as camelCase args', () => {
    expect(
      parseSeedArgs([
        '--movies',
        'ml/movies.csv',
        '--ratings=ml/ratings.csv',
        '--dry-run',
        '--max-rows',
        '5',
      ]),
    ).toEqual({ movies: 'ml/movies.csv', ratings: 'ml/ratings.csv', dryRun: true, maxRows: '5' });
  });

  it('refuses a bare word', () => {
    expect(() => parseSeedArgs(['movies.csv'])).toThrow(/--name value/);
  });
});
