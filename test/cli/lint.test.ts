// `specstack lint` as CI runs it: text or JSON on stdout, exit code 1 above --max-warnings.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/specstack.js');
const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const SPLIT = path.resolve(import.meta.dirname, '../fixtures/specs/split/openapi.yaml');

// Each run starts a CLI process, which is slow on a busy machine.
const SLOW = { timeout: 90_000 };

async function lint(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'lint', ...args], {
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it(
  'exits 0 on a clean app and 1 when there are warnings, listing each with file and pointer',
  SLOW,
  async () => {
    expect(await lint('--app', MOVIES)).toEqual({ code: 0, stdout: 'no warnings\n', stderr: '' });
    const split = await lint(SPLIT);
    expect(split.code).toBe(1);
    expect(split.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^paths\/pets\.yaml#\/post\/responses: POST \/pets can answer 400 .* \[error-responses\]$/,
      ),
      expect.stringMatching(
        /^schemas\/pet\.yaml#\/Pet: Pet is read and written like a table .* \[table-schema\]$/,
      ),
      '2 warnings',
    ]);
  },
);

it('prints JSON for CI with --format json, and tolerates up to --max-warnings', SLOW, async () => {
  const result = await lint(SPLIT, '--format', 'json', '--max-warnings', '1');
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout)).toEqual({
    count: 2,
    warnings: [
      {
        rule: 'error-responses',
        location: 'paths/pets.yaml#/post/responses',
        file: 'paths/pets.yaml',
        pointer: '/post/responses',
        message: expect.any(String),
      },
      {
        rule: 'table-schema',
        location: 'schemas/pet.yaml#/Pet',
        file: 'schemas/pet.yaml',
        pointer: '/Pet',
        message: expect.any(String),
      },
    ],
  });
  expect((await lint(SPLIT, '--max-warnings', '2')).code).toBe(0);
});

it('reports a spec it cannot load as an error, with exit code 1', SLOW, async () => {
  const result = await lint(path.join(MOVIES, 'no-such.yaml'));
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^error SPECSTACK_ERR_SPEC_NOT_FOUND: no OpenAPI document at /);
});
