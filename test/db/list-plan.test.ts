// Lists read in the order of an index instead of sorting the table: a page sorted by the primary
// key (the default) or by an indexed NOT NULL column is an index scan on PostgreSQL, so the first
// page of a large table costs the page, not the table.

import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

describeEachDialect(
  'list query plans',
  (ctx) => {
    let db: Database;

    beforeEach(async () => {
      db = await openWithSchema(ctx, fixtureModel);
      if (db.client.dialect !== 'postgres') throw new Error('PostgreSQL only');
      await db.client.pool.query(
        "insert into pets (name) select 'pet ' || g from generate_series(1, 20000) g",
      );
      await db.client.pool.query('analyze pets');
    });
    afterEach(() => db.close());

    /** The plan of the list statement the repository prepared last, on the session that prepared it. */
    async function planOfLastList(): Promise<string> {
      if (db.client.dialect !== 'postgres') throw new Error('PostgreSQL only');
      const pool = db.client.pool;
      const { rows } = await pool.query(
        "select name, cardinality(parameter_types) as params from pg_prepared_statements where name like 'specstack_%' and statement ilike '%order by%' order by prepare_time desc limit 1",
      );
      expect(rows).toHaveLength(1);
      const args = Array.from({ length: rows[0].params as number }, () => '21').join(', ');
      const plan = await pool.query(`explain execute ${rows[0].name}(${args})`);
      return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    }

    it('reads the first page through the primary key index, not a sort of every row', async () => {
      const page = await db.repository('Pet').list({ filters: {}, sort: [], limit: 20 });
      expect(page.rows).toHaveLength(20);
      const plan = await planOfLastList();
      expect(plan).toMatch(/Index Scan/);
      expect(plan).not.toMatch(/Sort/);
    });

    it('reads a page in descending order of the key the same way', async () => {
      const page = await db
        .repository('Pet')
        .list({ filters: {}, sort: [{ column: 'id', direction: 'desc' }], limit: 20 });
      expect(page.rows[0]!.id).toBe(20000);
      const plan = await planOfLastList();
      expect(plan).toMatch(/Index Scan Backward/);
      expect(plan).not.toMatch(/Sort/);
    });
  },
  ['postgres'],
);
