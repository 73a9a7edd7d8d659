// Database.transaction: all or nothing, and on SQLite no other statement slips into an open one.

import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database, TableRepository } from '../../src/db/database.ts';
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
