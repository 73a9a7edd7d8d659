import { beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp } from '../../src/migrate/apply-migrations.ts';
import { migrateDown } from '../../src/migrate/roll-back.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  januaryDay,
  makeFixtureMigration,
  migrationKey,
  type SpecFixture,
} from './support/migrate-fixtures.ts';
import { useMigrateWorkspace } from './support/migrate-workspace.ts';
import { query, type Rows, rowsOf, schemaOf, type TableShape } from './support/schema-state.ts';

interface Renames {
  /** old table -> new table */
  tables?: Record<string, string>;
  /** `table.old` -> new column */
  columns?: Record<string, string>;
}

interface Revision {
  fixture: SpecFixture;
  name: string;
  allowDestructive?: boolean;
  renames?: Renames;
  /** What the revision changed, checked right after it is applied. */
  check(db: Database, schema: Record<string, TableShape>): Promise<void>;
  /** Rows written once it is applied. */
  seed: string[];
}

const columnNames = (shape: TableShape | undefined) =>
  (shape?.columns ?? []).map((column) => column.split(' ')[0]);

const REVISIONS: Revision[] = [
  {
    fixture: 'library-r1',
    name: 'create-library',
    async check(_db, schema) {
      expect(Object.keys(schema).sort()).toEqual(['authors', 'books']);
    },
    seed: [
      "INSERT INTO authors (name) VALUES ('Ann'), ('Ben')",
      "INSERT INTO books (title) VALUES ('Dune')",
    ],
  },
  {
    fixture: 'library-r2',
    name: 'add-author-bio',
    async check(db) {
      expect(await query(db, 'SELECT name, bio FROM authors ORDER BY id')).toEqual([
        { name: 'Ann', bio: null },
        { name: 'Ben', bio: null },
      ]);
    },
    seed: [
      "UPDATE authors SET bio = 'first' WHERE name = 'Ann'",
      "INSERT INTO authors (name, bio) VALUES ('Cid', 'writes')",
    ],
  },
  {
    fixture: 'library-r3',
    name: 'add-author-country',
    async check(db) {
      const countries = await query(db, 'SELECT DISTINCT country FROM authors');
      expect(countries).toEqual([{ country: 'unknown' }]);
    },
    seed: ["INSERT INTO authors (name, bio, country) VALUES ('Dee', NULL, 'NZ')"],
  },
  {
    fixture: 'library-r4',
    name: 'unique-names-indexed-countries',
    async check(db, schema) {
      expect(schema.authors?.indexes).toEqual(
        expect.arrayContaining(['ix_authors_country', 'uq_authors_name']),
      );
      await expect(query(db, "INSERT INTO authors (name) VALUES ('Ann')")).rejects.toThrow(
        /unique/i,
      );
    },
    seed: ["INSERT INTO authors (name, country) VALUES ('Eve', 'FR')"],
  },
  {
    fixture: 'library-r5',
    name: 'books-reference-authors',
    async check(db) {
      await expect(
        query(db, "INSERT INTO books (title, author_id) VALUES ('Nobody', 999)"),
      ).rejects.toThrow(/foreign key/i);
    },
    seed: [
      'UPDATE books SET author_id = 1',
      "INSERT INTO books (title, author_id) VALUES ('Emma', 2)",
    ],
  },
  {
    fixture: 'library-r6',
    name: 'rename-bio',
    renames: { columns: { 'authors.bio': 'biography' } },
    async check(db, schema) {
      expect(columnNames(schema.authors)).not.toContain('bio');
      expect(await query(db, "SELECT biography FROM authors WHERE name = 'Ann'")).toEqual([
        { biography: 'first' },
      ]);
    },
    seed: ["INSERT INTO authors (name, biography) VALUES ('Fay', 'poet')"],
  },
  {
    fixture: 'library-r7',
    name: 'drop-country',
    allowDestructive: true,
    async check(_db, schema) {
      expect(columnNames(schema.authors)).not.toContain('country');
    },
    seed: ["INSERT INTO authors (name) VALUES ('Gus')"],
  },
  {
    fixture: 'library-r8',
    name: 'rename-books',
    renames: { tables: { books: 'volumes' } },
    async check(db, schema) {
      expect(Object.keys(schema).sort()).toEqual(['authors', 'volumes']);
      expect(await query(db, 'SELECT title, author_id FROM volumes ORDER BY id')).toEqual([
        { title: 'Dune', author_id: 1 },
        { title: 'Emma', author_id: 2 },
      ]);
    },
    seed: ["INSERT INTO volumes (title, author_id) VALUES ('Ulysses', 7)"],
  },
];

function inverse(renames: Renames = {}): Renames {
  const tables = Object.fromEntries(
    Object.entries(renames.tables ?? {}).map(([from, to]) => [to, from]),
  );
  const columns = Object.fromEntries(
    Object.entries(renames.columns ?? {}).map(([key, to]) => {
      const [table, from] = key.split('.') as [string, string];
      return [`${renames.tables?.[table] ?? table}.${to}`, from];
    }),
  );
  return { tables, columns };
}

/**
 * Every row of `before` is still there, under its table's and columns' new names, with the same
 * values in every column that survived; no row appeared or vanished in a surviving table.
 */
function expectRowsKept(
  before: Record<string, Rows>,
  after: Record<string, Rows>,
  renames: Renames = {},
): void {
  for (const [table, rows] of Object.entries(before)) {
    const renamed = renames.tables?.[table] ?? table;
    const now = after[renamed];
    if (!now) continue;
    expect(now, `rows of ${renamed}`).toHaveLength(rows.length);
    const byId = new Map(now.map((row) => [String(row.id), row]));
    for (const row of rows) {
      const kept = byId.get(String(row.id));
      expect(kept, `${table} row ${String(row.id)}`).toBeDefined();
      for (const [column, value] of Object.entries(row)) {
        const name = renames.columns?.[`${table}.${column}`] ?? column;
        if (name in kept!)
          expect(kept![name], `${renamed}.${name} of row ${String(row.id)}`).toEqual(value);
      }
    }
  }
}

describeEachDialect('a spec through eight revisions', (ctx) => {
  const ws = useMigrateWorkspace(ctx);
  let db: Database;
  beforeEach(async () => {
    db = await ws.connect();
  });

  it('keeps the rows at every step up, and down returns to each earlier state', async () => {
    const states: {
      key: string;
      schema: Record<string, TableShape>;
      data: Record<string, Rows>;
    }[] = [{ key: '', schema: {}, data: {} }];
    for (const [index, revision] of REVISIONS.entries()) {
      const made = await makeFixtureMigration(ws.migrationsDir, revision.fixture, {
        name: revision.name,
        now: januaryDay(index + 1),
        allowDestructive: revision.allowDestructive ?? false,
      });
      const key = migrationKey(made);
      expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [key] });
      const schema = await schemaOf(db);
      expectRowsKept(states.at(-1)!.data, await rowsOf(db, schema), revision.renames);
      await revision.check(db, schema);
      for (const statement of revision.seed) await query(db, statement);
      states.push({ key, schema, data: await rowsOf(db, schema) });
    }

    for (let k = REVISIONS.length; k >= 1; k--) {
      const current = states[k]!;
      // Rows written by later revisions are still there: compare with what the table holds now.
      const before = await rowsOf(db, await schemaOf(db));
      expect(await migrateDown(db, ws.migrationsDir)).toEqual({ reverted: [current.key] });
      const schema = await schemaOf(db);
      expect(schema, `schema after rolling back ${current.key}`).toEqual(states[k - 1]!.schema);
      expectRowsKept(before, await rowsOf(db, schema), inverse(REVISIONS[k - 1]!.renames));
    }
    expect(await schemaOf(db)).toEqual({});
    expect(await migrateDown(db, ws.migrationsDir)).toEqual({ reverted: [] });

    // The whole history applies again from nothing.
    expect((await migrateUp(db, ws.migrationsDir)).applied).toHaveLength(REVISIONS.length);
    expect(await schemaOf(db)).toEqual(states.at(-1)!.schema);
  });
});
