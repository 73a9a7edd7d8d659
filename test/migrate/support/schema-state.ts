// What a database holds, read back for comparison: each app table's columns, indexes and foreign
// keys, and its rows. Suites compare these before and after up, down and reset.

import type { Database } from '../../../src/db/database.ts';

export type Rows = Record<string, unknown>[];

/** Runs raw SQL on either dialect; returns the rows of a query, none for other statements. */
export async function query(db: Database, sql: string): Promise<Rows> {
  if (db.client.dialect === 'sqlite') {
    const statement = db.client.sqlite.prepare(sql);
    if (!statement.reader) {
      statement.run();
      return [];
    }
    return statement.all() as Rows;
  }
  return (await db.client.pool.query(sql)).rows;
}

export interface TableShape {
  /** `name type NOT NULL`, sorted. */
  columns: string[];
  /** Index names (unique constraints included), sorted. */
  indexes: string[];
  /** `column -> table.column`, sorted. */
  foreignKeys: string[];
}

/** Every table but the bookkeeping one, by name. */
export async function schemaOf(db: Database): Promise<Record<string, TableShape>> {
  const tables =
    db.dialect === 'sqlite'
      ? await query(
          db,
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
      : await query(
          db,
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        );
  const shape: Record<string, TableShape> = {};
  for (const { name } of tables as { name: string }[]) {
    // The framework's own tables (migrations bookkeeping, embedded jobs) are not the app's.
    if (name.startsWith('specstack_')) continue;
    shape[name] =
      db.dialect === 'sqlite' ? await sqliteTable(db, name) : await postgresTable(db, name);
  }
  return shape;
}

async function sqliteTable(db: Database, name: string): Promise<TableShape> {
  const columns = (await query(db, `PRAGMA table_info(\`${name}\`)`)) as {
    name: string;
    type: string;
    notnull: number;
  }[];
  const indexes = await query(
    db,
    `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${name}' AND name NOT LIKE 'sqlite_autoindex%'`,
  );
  const fks = (await query(db, `PRAGMA foreign_key_list(\`${name}\`)`)) as {
    from: string;
    table: string;
    to: string;
  }[];
  return {
    columns: columns
      .map((c) => `${c.name} ${c.type.toLowerCase()}${c.notnull ? ' NOT NULL' : ''}`)
      .sort(),
    indexes: indexes.map((row) => String(row.name)).sort(),
    foreignKeys: fks.map((fk) => `${fk.from} -> ${fk.table}.${fk.to}`).sort(),
  };
}

async function postgresTable(db: Database, name: string): Promise<TableShape> {
  const columns = (await query(
    db,
    `SELECT column_name, data_type, character_maximum_length AS len, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${name}'`,
  )) as { column_name: string; data_type: string; len: number | null; is_nullable: string }[];
  const indexes = await query(
    db,
    `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = '${name}'`,
  );
  const fks = await query(
    db,
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '"${name}"'::regclass AND contype = 'f'`,
  );
  return {
    columns: columns
      .map(
        (c) =>
          `${c.column_name} ${c.data_type}${c.len ? `(${c.len})` : ''}${c.is_nullable === 'NO' ? ' NOT NULL' : ''}`,
      )
      .sort(),
    indexes: indexes.map((row) => String(row.name)).sort(),
    foreignKeys: fks.map((row) => String(row.def)).sort(),
  };
}

/** Every row of every app table, ordered by id. */
export async function rowsOf(
  db: Database,
  schema: Record<string, TableShape>,
): Promise<Record<string, Rows>> {
  const data: Record<string, Rows> = {};
  for (const table of Object.keys(schema)) {
    data[table] = await query(db, `SELECT * FROM ${table} ORDER BY id`);
  }
  return data;
}
