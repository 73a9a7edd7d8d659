// Startup against a database that is not there yet: transient failures are retried with backoff,
// the rest fail at once, and giving up names the masked URL.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { waitForDatabase } from '../../src/db/wait-for-database.ts';
import { describeEachDialect } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';

const emptyModel = { tables: [] };
const opened: Database[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const server of servers.splice(0)) server.close();
});

async function open(url: string): Promise<Database> {
  const db = await openDatabase({ url, model: emptyModel });
  opened.push(db);
  return db;
}

describe('waiting for the database at startup', () => {
  it('retries a refused connection, then gives up naming the masked URL', async () => {
    const port = await freePort();
    const db = await open(`postgres://app:hunter2@127.0.0.1:${port}/app`);
    const retries: string[] = [];
    const error = await waitForDatabase(db, {
      attempts: 3,
      firstDelay: 10,
      onRetry: (message) => retries.push(message),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPECSTACK_ERR_DATABASE_UNREACHABLE' });
    expect(String((error as Error).message)).toContain(`postgres://app:***@127.0.0.1:${port}/app`);
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain('attempt 1 of 3');
  });
});

describeEachDialect(
  'waiting for PostgreSQL',
  (ctx) => {
    it('connects once the server starts answering during the retries', async () => {
      const target = new URL(await ctx.createDatabaseUrl());
      const port = await freePort();
      // A proxy that starts listening late stands for a database still booting.
      setTimeout(() => {
        const proxy = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        });
        servers.push(proxy);
        proxy.listen(port, '127.0.0.1');
      }, 300);
      const delayed = new URL(target);
      delayed.port = String(port);
      const db = await open(delayed.toString());
      const retries: string[] = [];
      await waitForDatabase(db, { attempts: 8, firstDelay: 50, onRetry: (m) => retries.push(m) });
      expect(retries.length).toBeGreaterThan(0);
      await expect(db.ping()).resolves.toBeUndefined();
    });

    it('does not retry an error that waiting cannot cure', async () => {
      const url = new URL(await ctx.createDatabaseUrl());
      url.pathname = '/specstack_no_such_database';
      const db = await open(url.toString());
      const retries: string[] = [];
      await expect(
        waitForDatabase(db, { attempts: 5, firstDelay: 10, onRetry: (m) => retries.push(m) }),
      ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_DATABASE_UNREACHABLE' });
      expect(retries).toEqual([]);
    });
  },
  ['postgres'],
);
