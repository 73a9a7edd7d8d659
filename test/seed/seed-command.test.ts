// `specstack seed` as a user runs it: a child process, MovieLens files given by option, plain
// progress lines when the output is not a terminal, and --if-empty on the second run.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFolder, MOVIES_APP, migrateMovies } from './seed-support.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
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
    run(process.execPath, [BIN, 'seed', '--app', MOVIES_APP, ...args], { env, timeout: 60_000 });

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

  it('exits with 1 and an error line when a file is missing', async () => {
    const failed = seed('--movies', path.join(dir, 'missing.csv'));
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error SPECSTACK_ERR_SEED: cannot read .*missing\.csv/m),
    });
  });
});
