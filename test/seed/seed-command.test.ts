// `specstack seed` as a user runs it: a child process, MovieLens files given by option, plain
// progress lines when the output is not a terminal, and --if-empty on the second run. Every run
// refuses drizzle-kit (hundreds of MiB): seeding never loads the migration differ.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFolder, MOVIES_APP, migrateMovies } from './seed-support.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const REFUSE_DRIZZLE_KIT = path.resolve(import.meta.dirname, '../support/refuse-drizzle-kit.mjs');
const run = promisify(execFile);

describe('specstack seed', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let files: { movies: string; ratings: string };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'specstack-seed-cli-'));
    const url = `sqlite:${path.join(dir, 'app.db')}`;
    await migrateMovies(url);
    env = { ...process.env, DATABASE_URL: url };
    const folder = csvFolder();
    files = {
      movies: folder.write('movies.csv', [
        'movieId,title,genres',
        '1,"Godfather, The (1972)",Crime|Drama',
      ]),
      ratings: folder.write('ratings.csv', [
        'userId,movieId,rating,timestamp',
        '3,1,5.0,1000000000',
      ]),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const seed = (...args: string[]) =>
    run(
      process.execPath,
      ['--import', REFUSE_DRIZZLE_KIT, BIN, 'seed', '--app', MOVIES_APP, ...args],
      {
        env,
        timeout: 60_000,
      },
    );

  it('imports the files given as options, printing progress lines and the demo logins', async () => {
    const { stdout } = await seed('--movies', files.movies, '--ratings', files.ratings);
    expect(stdout).toMatch(/^movies\.csv: done, 1 records in [\d.]+ s$/m);
    expect(stdout).toMatch(/^ratings\.csv: done, 1 records in [\d.]+ s$/m);
    expect(stdout).toContain('demo logins: admin@specstack.dev / specstack-admin (admin)');
  });

  it('with --if-empty, skips a database that already holds data', async () => {
    const { stdout } = await seed('--if-empty');
    expect(stdout).toContain('seed skipped: the database already holds data');
  });

  it('exits with 1 and an error line naming the file and line of a record it cannot store', async () => {
    const ratings = csvFolder().write('ratings.csv', [
      'userId,movieId,rating,timestamp',
      '3,1,4.0,1000000000',
      '3,999,5.0,1000000001',
    ]);
    const failed = seed('--ratings', ratings);
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error SPECSTACK_ERR_SEED: ratings\.csv:3 \(record 2\): /m),
    });
  });

  it('exits with 1 and an error line when a file is missing', async () => {
    const failed = seed('--movies', path.join(dir, 'missing.csv'));
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error SPECSTACK_ERR_SEED: cannot read .*missing\.csv/m),
    });
  });
});
