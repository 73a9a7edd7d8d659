// The benchmark's hand-written petstore must keep answering like specstack's: the runner refuses
// to measure otherwise. Both servers run as the runner starts them, on SQLite.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { petstoreSuite } from '../../bench/petstore/petstore-suite.ts';
import { ROUTES } from '../../bench/petstore/routes.ts';
import type { BenchDatabases } from '../../bench/runner/databases.ts';
import { checkParity, shapeOf } from '../../bench/runner/parity.ts';
import { type RunningServer, startServer } from '../../bench/runner/servers.ts';

describe('the benchmark petstores', () => {
  let databases: BenchDatabases;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    ({ databases } = await petstoreSuite.prepare('sqlite', ''));
    for (const kind of ['specstack', 'handwritten'] as const) {
      servers.push(
        await startServer({
          kind,
          served: petstoreSuite.served,
          dialect: 'sqlite',
          database: databases[kind],
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await databases?.drop();
  });

  it('answer every measured route with the same status and body shape', async () => {
    const [specstack, handwritten] = servers;
    await expect(
      checkParity(specstack!.url, handwritten!.url, ROUTES, petstoreSuite.parity),
    ).resolves.toBeUndefined();
  });

  it('catch a difference that the check must report', async () => {
    const [specstack] = servers;
    await expect(
      checkParity(specstack!.url, `${specstack!.url}/nowhere`, ROUTES, petstoreSuite.parity),
    ).rejects.toThrow(/answer differently/);
  });
});

describe('shapeOf', () => {
  it('keeps key names and JSON types, arrays by their first item', () => {
    expect(shapeOf([{ id: 1, name: 'a', tag: null }, { id: 2 }])).toEqual([
      { id: 'number', name: 'string', tag: 'null' },
    ]);
    expect(shapeOf({ code: 404, message: 'x' })).not.toEqual(shapeOf({ code: 404 }));
  });
});
