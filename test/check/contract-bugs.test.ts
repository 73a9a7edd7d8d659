// runCheck on an app with eleven deliberate contract bugs: each is reported as its own failure,
// named by operation and check; the fixed twin of the app reports none.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/index.ts';

const APP = path.resolve(import.meta.dirname, '../fixtures/apps/contract-bugs');
const CONTRACT = path.join(APP, 'contract.yaml');

const BUGS = [
  ['getSquare', 'not-a-server-error'],
  ['getStatus', 'status-documented'],
  ['getReport', 'content-type-documented'],
  ['getProfile', 'response-schema'],
  ['getCounter', 'response-schema'],
  ['createNote', 'negative-rejected'],
  ['createTag', 'positive-accepted'],
  ['listItems', 'response-headers'],
  ['createThing', 'created-reads-back'],
  ['deleteGadget', 'deleted-is-gone'],
  ['getSecret', 'auth-required'],
];

describe('specstack check on the contract-bugs app', () => {
  it('reports each of the eleven bugs as its own failure, within the default budget', async () => {
    const result = await runCheck({ appDir: APP, specPath: CONTRACT, seed: 20, env: {} });
    const found = result.failures.map((f) => [f.operation, f.check]);
    expect(found.sort()).toEqual([...BUGS].sort());
    expect(result.ok).toBe(false);
  }, 60_000);

  it('shrinks a failure to a small request that still fails', async () => {
    const result = await runCheck({
      appDir: APP,
      specPath: CONTRACT,
      seed: 20,
      env: {},
      operations: ['getSquare'],
    });
    const [failure] = result.failures;
    // A crashing n (2, 5, 8, …), shrunk from whatever fast-check drew first towards 0.
    const n = Number(/^\/api\/squares\/(\d+)$/.exec(failure?.requests[0]?.url ?? '')?.[1]);
    expect(n % 3).toBe(2);
    expect(failure?.response?.status).toBe(500);
  }, 60_000);

  it('stops generating at the time limit and says which operations it cut short', async () => {
    const result = await runCheck({
      appDir: APP,
      specPath: CONTRACT,
      seed: 20,
      env: {},
      timeLimit: 0.001,
    });
    expect(result.operations.every((op) => op.skipped.includes('time limit reached'))).toBe(true);
  }, 60_000);

  it('reports nothing on the fixed app', async () => {
    const result = await runCheck({
      appDir: APP,
      specPath: CONTRACT,
      seed: 20,
      env: {},
      overrides: { specPath: CONTRACT, handlersDir: path.join(APP, 'fixed-handlers') },
    });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    const secrets = result.operations.find((op) => op.operation === 'getSecret');
    expect(secrets?.skipped).toEqual(['no credentials for its security: only the 401 check ran']);
  }, 60_000);
});
