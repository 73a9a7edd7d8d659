// SIGKILL during a stream of writes, on every dialect: `specstack start` serving the petstore is
// killed mid-stream; after a restart every pet whose creation was acknowledged with 2xx is there.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProcess } from '../support/app-process.ts';
import { describeEachDialect } from '../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const WRITERS = 8;
const WRITE_FOR_MS = 1500;

describeEachDialect('SIGKILL during writes', (ctx) => {
  let appDir: string;
  let dataDir: string;
  let databaseUrl: string;
  const children: Array<ReturnType<typeof startProcess>> = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'specstack-kill-'));
    // A copy of the example with its own migrations: nothing is written into the repository.
    appDir = path.join(dataDir, 'app');
    cpSync(PETSTORE, appDir, {
      recursive: true,
      filter: (file) => !file.includes(`${path.sep}data`),
    });
    databaseUrl =
      ctx.dialect === 'sqlite'
        ? `sqlite:${path.join(dataDir, 'pets.db')}`
        : await ctx.createDatabaseUrl();
  });
  afterAll(() => {
    for (const app of children) app.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => {
    const app = startProcess(appDir, {
      DATABASE_URL: databaseUrl,
      SPECSTACK_AUTO_MIGRATE: '1',
    });
    children.push(app);
    return app;
  };

  it('keeps every acknowledged write after a SIGKILL and a restart', {
    timeout: 60_000,
  }, async () => {
    const first = start();
    const url = await first.listening;
    const acknowledged: Array<{ id: number; name: string }> = [];
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const name = `pet-${w}-${i}`;
        try {
          const response = await fetch(`${url}/api/pets`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name, tag: 'kill-test' }),
          });
          if (response.status >= 200 && response.status < 300) {
            acknowledged.push({ id: ((await response.json()) as { id: number }).id, name });
          }
        } catch {
          // The connection died with the process: this write was never acknowledged.
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((resolve) => setTimeout(resolve, WRITE_FOR_MS));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await first.exited;
    expect(acknowledged.length).toBeGreaterThan(20);

    const second = start();
    const again = await second.listening;
    for (const pet of acknowledged) {
      const response = await fetch(`${again}/api/pets/${pet.id}`);
      expect(response.status, `pet ${pet.id}`).toBe(200);
      expect(((await response.json()) as { name: string }).name).toBe(pet.name);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
