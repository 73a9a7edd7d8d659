import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { diffModel } from '../../src/migrate/diff.ts';
import type { ModelDescription } from '../../src/model/table-description.ts';
import { createSchema, describeEachDialect, runStatements } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const location = parseDatabaseUrl(url);
  if (location.dialect === 'sqlite') {
    const db = new BetterSqlite3(location.filename);
    try {
      return db.prepare(text).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function renamed(model: ModelDescription, table: string, from: string, to: string) {
  const copy = structuredClone(model);
  const t = copy.tables.find((x) => x.tableName === table)!;
  t.columns.find((c) => c.name === from)!.name = to;
  return copy;
}

describeEachDialect('diffModel', (ctx) => {
  it('creates every table, index and unique constraint of the model in an empty database', async () => {
    const url = await ctx.createDatabaseUrl();
    await createSchema(url, fixtureModel);
    const indexSql =
      ctx.dialect === 'sqlite'
        ? "select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name"
        : "select indexname as name from pg_indexes where schemaname = 'public' and indexname not like '%_pkey' order by 1";
    const names = (await query(url, indexSql)).map((r) => r.name);
    expect(names).toEqual([
      'ix_pets_name',
      'uq_owners_email',
      'uq_pets_name_ownerId',
      'uq_pets_tag',
    ]);
  });

  it('gives each column the storage type of its spec type and format', async () => {
    const url = await ctx.createDatabaseUrl();
    await createSchema(url, fixtureModel);
    const rows = await query(
      url,
      ctx.dialect === 'sqlite'
        ? 'select name, type, "notnull" as required from pragma_table_info(\'pets\') order by cid'
        : "select column_name as name, data_type || coalesce('(' || character_maximum_length || ')', '') as type, (is_nullable = 'NO') as required from information_schema.columns where table_name = 'pets' order by ordinal_position",
    );
    const types = Object.fromEntries(rows.map((r) => [r.name, String(r.type).toLowerCase()]));
    expect(types).toEqual(
      ctx.dialect === 'sqlite'
        ? {
            id: 'integer',
            name: 'text',
            kind: 'text',
            age: 'integer',
            population: 'integer',
            weight: 'real',
            height: 'real',
            vaccinated: 'integer',
            born: 'text',
            seenAt: 'text',
            tag: 'text',
            photo: 'blob',
            meta: 'text',
            nicknames: 'text',
            createdAt: 'text',
            ownerId: 'integer',
          }
        : {
            id: 'integer',
            name: 'character varying(40)',
            kind: 'text',
            age: 'integer',
            population: 'bigint',
            weight: 'real',
            height: 'double precision',
            vaccinated: 'boolean',
            born: 'date',
            seenAt: 'timestamp with time zone',
            tag: 'uuid',
            photo: 'bytea',
            meta: 'jsonb',
            nicknames: 'jsonb',
            createdAt: 'timestamp with time zone',
            ownerId: 'integer',
          },
    );
    const required = rows.filter((r) => Number(r.required) === 1 || r.required === true);
    expect(required.map((r) => r.name)).toEqual(['id', 'name']);
  });

  it('finds nothing to do when the model matches the previous snapshot', async () => {
    const first = await diffModel(fixtureModel, ctx.dialect, null);
    const second = await diffModel(fixtureModel, ctx.dialect, first.snapshot);
    expect(second.statements).toEqual([]);
    expect(second.snapshot.prevId).toBe(first.snapshot.id);
  });

  it('turns a renamed column into a drop and an add without prompting', async () => {
    const first = await diffModel(fixtureModel, ctx.dialect, null);
    const next = await diffModel(
      renamed(fixtureModel, 'owners', 'nickname', 'alias'),
      ctx.dialect,
      first.snapshot,
    );
    const text = next.statements.join('\n');
    expect(text).toMatch(/DROP COLUMN .nickname./);
    expect(text).toMatch(/ADD (COLUMN )?.alias./);
    const url = await ctx.createDatabaseUrl();
    await createSchema(url, fixtureModel);
    await runStatements(url, next.statements);
    const columns = await query(
      url,
      ctx.dialect === 'sqlite'
        ? "select name from pragma_table_info('owners') order by cid"
        : "select column_name as name from information_schema.columns where table_name = 'owners' order by ordinal_position",
    );
    expect(columns.map((c) => c.name)).toEqual(['id', 'email', 'alias']);
  });

  it('turns a renamed table into a drop and a create without prompting', async () => {
    const first = await diffModel(fixtureModel, ctx.dialect, null);
    const model = structuredClone(fixtureModel);
    model.tables.find((t) => t.tableName === 'tags')!.tableName = 'labels';
    const next = await diffModel(model, ctx.dialect, first.snapshot);
    const text = next.statements.join('\n');
    expect(text).toMatch(/DROP TABLE .tags./);
    expect(text).toMatch(/CREATE TABLE .labels./);
  });

  it('refuses a previous snapshot of the other dialect', async () => {
    const other = ctx.dialect === 'sqlite' ? 'postgres' : 'sqlite';
    const { snapshot } = await diffModel(fixtureModel, other, null);
    await expect(diffModel(fixtureModel, ctx.dialect, snapshot)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_FAILED',
    });
  });
});
