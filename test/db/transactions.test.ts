// Database.transaction: all or nothing, and on SQLite no other statement slips into an open one.

import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database, TableRepository } from '../../src/db/database.ts';
import { HANDLER_TIMEOUT } from '../../src/errors.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

describeEachDialect('transactions', (ctx) => {
  let db: Database;
  let owners: TableRepository;

  beforeEach(async () => {
    db = await openWithSchema(ctx, fixtureModel);
    owners = db.repository('Owner');
  });
  afterEach(() => db.close());

  const emails = async () =>
    (
      await owners.list({ filters: {}, sort: [{ column: 'email', direction: 'asc' }], limit: 100 })
    ).rows.map((row) => row.email);

  it('commits every write when the work resolves, and returns its value', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.repository('Owner').insert({ email: 'a@example.com' });
      await tx.repository('Owner').insert({ email: 'b@example.com' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(await emails()).toEqual(['a@example.com', 'b@example.com']);
  });

  it('rolls every write back when the work throws, and rethrows', async () => {
    await owners.insert({ email: 'kept@example.com' });
    const failing = db.transaction(async (tx) => {
      await tx.repository('Owner').insert({ email: 'new@example.com' });
      await tx.repository('Owner').insert({ email: 'kept@example.com' });
    });
    await expect(failing).rejects.toMatchObject({ code: 'SPECSTACK_ERR_UNIQUE_VIOLATION' });
    expect(await emails()).toEqual(['kept@example.com']);
  });

  it('rolls back at once when its signal aborts, and refuses every later statement of the work', async () => {
    const controller = new AbortController();
    const reason = HANDLER_TIMEOUT('time is up');
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let inside!: () => void;
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const refused: unknown[] = [];
    const work = db.transaction(
      async (tx) => {
        await tx.repository('Owner').insert({ email: 'before@example.com' });
        inside();
        await paused;
        await tx
          .repository('Owner')
          .insert({ email: 'after@example.com' })
          .catch((error) => {
            refused.push(error);
          });
        await db
          .transaction(
            (nested) => nested.repository('Owner').insert({ email: 'nested@example.com' }),
            { signal: controller.signal },
          )
          .catch((error) => refused.push(error));
      },
      { signal: controller.signal },
    );
    await started;
    controller.abort(reason);
    // The work is still running, yet the connection is free: the first write is gone already.
    await owners.insert({ email: 'outside@example.com' });
    expect(await emails()).toEqual(['outside@example.com']);
    resume();
    await expect(work).rejects.toBe(reason);
    expect(refused).toEqual([reason, reason]);
    expect(await emails()).toEqual(['outside@example.com']);
  });

  it('refuses to begin when its signal has aborted already', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const work = db.transaction((tx) => tx.repository('Owner').insert({ email: 'x@example.com' }), {
      signal: controller.signal,
    });
    await expect(work).rejects.toThrow('too late');
    expect(await emails()).toEqual([]);
  });

  it('keeps a concurrent write outside a transaction that rolls back', async () => {
    let inside!: () => void;
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = db.transaction(async (tx) => {
      await tx.repository('Owner').insert({ email: 'tx@example.com' });
      inside();
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error('changed my mind');
    });
    await started;
    const outside = owners.insert({ email: 'outside@example.com' });
    await expect(failing).rejects.toThrow('changed my mind');
    await outside;
    expect(await emails()).toEqual(['outside@example.com']);
  });

  it('runs transactions one after another without losing writes', async () => {
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.repository('Owner').insert({ email: `${i}@example.com` });
          await new Promise((resolve) => setTimeout(resolve, 2));
        }),
      ),
    );
    expect(await emails()).toHaveLength(5);
  });
});
