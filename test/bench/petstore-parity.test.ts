// The benchmark's hand-written petstore must keep answering like specstack's: the runner refuses
// to measure otherwise. Both servers run as the runner starts them, on SQLite.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchDatabases, sqliteDatabases } from '../../bench/petstore/databases.ts';
import { checkParity, shapeOf } from '../../bench/petstore/parity.ts';
import { type RunningServer, startServer } from '../../bench/petstore/servers.ts';

describe('the benchmark petstores', () => {
  let databases: BenchDatabases;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    databases = sqliteDatabases();
    for (const kind of ['specstack', 'handwritten'] as const) {
      servers.push(await startServer({ kind, dialect: 'sqlite', database: databases[kind] }));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await databases?.drop();
  });

  it('answer every measured route with the same status and body shape', async () => {
    const [specstack, handwritten] = servers;
    await expect(checkParity(specstack!.url, handwritten!.url)).resolves.toBeUndefined();
  });

  it('catch a difference that the check must report', async () => {
    const [specstack] = servers;
    await expect(checkParity(specstack!.url, `${specstack!.url}/nowhere`)).rejects.toThrow(
      /answer differently/,
    );
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
