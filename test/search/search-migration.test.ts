// Search structures made by `migrate make` like any other change, on both dialects: added to a
// table that already has rows (indexed by the migration), rebuilt when the declaration or a
// searched column changes, rolled back and applied again, and dropped.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp } from '../../src/migrate/apply-migrations.ts';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { resetDatabase } from '../../src/migrate/reset-database.ts';
import { migrateDown } from '../../src/migrate/roll-back.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import type { ModelDescription } from '../../src/model/table-description.ts';
import { searchChanges } from '../../src/search/search-migration.ts';
import { useMigrateWorkspace } from '../migrate/support/migrate-workspace.ts';
import { query } from '../migrate/support/schema-state.ts';
import { describeEachDialect } from '../support/databases.ts';
import { CATALOGUE, catalogueDocument } from './catalogue.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests edit the document freely.
type Properties = Record<string, any>;

function modelWith(edit: (properties: Properties) => void): ModelDescription {
  const document = structuredClone(catalogueDocument);
  edit(document.components.schemas.Movie.properties as Properties);
  return deriveModel(document, 'catalogue.yaml');
}

const withoutSearch = modelWith((p) => {
  delete p.title['x-search'];
  delete p.description['x-search'];
});
const withSearch = modelWith(() => {});
/** Genres searched too, and a wider title column: both rebuild the search structures. */
const reweighed = modelWith((p) => {
  p.title.maxLength = 500;
  p.genres['x-search'] = { weight: 'C' };
  p.tagline = { type: ['string', 'null'] };
});

const day = (n: number) => new Date(Date.UTC(2025, 0, n));

async function searchTitles(db: Database, q: string): Promise<string[]> {
  const { rows } = await db
    .repository('Movie')
    .list({ filters: {}, sort: [], limit: 100, search: q });
  return rows.map((row) => row.title as string);
}

/** SQLite can check an external-content FTS5 index against its table. */
async function checkIndex(db: Database): Promise<void> {
  if (db.client.dialect !== 'sqlite') return;
  db.client.sqlite.exec(
    `INSERT INTO movies_search(movies_search, rank) VALUES ('integrity-check', 1)`,
  );
}

async function searchObjects(db: Database): Promise<string[]> {
  const sql =
    db.dialect === 'sqlite'
      ? "select name from sqlite_master where name like 'movies_search%' order by name"
      : `select column_name as name from information_schema.columns where table_name = 'movies' and column_name like 'specstack_search%'
         union all select proname from pg_proc where proname like 'specstack_search%' order by name`;
  return (await query(db, sql)).map((row) => String(row.name));
}

describeEachDialect('search migrations', (ctx) => {
  const workspace = useMigrateWorkspace(ctx);
  const make = (model: ModelDescription, name: string, n: number) =>
    makeMigration({
      model,
      migrationsDir: workspace.migrationsDir,
      name,
      specFile: 'catalogue.yaml',
      now: day(n),
    });

  it('indexes existing rows, rebuilds on change, survives down and up, and drops cleanly', async () => {
    await make(withoutSearch, 'init', 1);
    const plain = await workspace.connect(withoutSearch);
    await migrateUp(plain, workspace.migrationsDir);
    for (const movie of CATALOGUE) await plain.repository('Movie').insert({ ...movie });

    const added = await make(withSearch, 'add-search', 2);
    expect(added.statements[ctx.dialect].join('\n')).toContain(
      ctx.dialect === 'sqlite' ? "VALUES ('rebuild')" : 'GENERATED ALWAYS AS',
    );
    await migrateUp(plain, workspace.migrationsDir);
    const searched = await workspace.connect(withSearch);
    // Rows written before the migration are found.
    expect((await searchTitles(searched, 'matrix'))[0]).toBe('The Matrix');
    await checkIndex(searched);

    const rebuilt = await make(reweighed, 'reweigh', 3);
    const up = rebuilt.statements[ctx.dialect].join('\n');
    expect(up).toMatch(/DROP (TABLE|INDEX) IF EXISTS "movies_search"/);
    await migrateUp(searched, workspace.migrationsDir);
    const widened = await workspace.connect(reweighed);
    expect(await searchTitles(widened, 'sci fi animation drama')).toEqual(['The Animatrix']);
    await widened.repository('Movie').insert({ title: 'Numbat Road', genres: ['Quirky'] });
    expect(await searchTitles(widened, 'quirky')).toEqual(['Numbat Road']);
    await checkIndex(widened);

    // Down to the first search: genres no longer searched, titles still are.
    await migrateDown(widened, workspace.migrationsDir);
    const back = await workspace.connect(withSearch);
    expect(await searchTitles(back, 'quirky')).toEqual([]);
    expect(await searchTitles(back, 'numbat')).toEqual(['Numbat Road']);
    await checkIndex(back);

    // Down to no search at all; rows written meanwhile are indexed when search comes back.
    await migrateDown(back, workspace.migrationsDir);
    expect(await searchObjects(back)).toEqual([]);
    const bare = await workspace.connect(withoutSearch);
    await bare.repository('Movie').insert({ title: 'Quokka Journey', genres: [] });
    await migrateUp(bare, workspace.migrationsDir);
    const again = await workspace.connect(reweighed);
    expect(await searchTitles(again, 'quokka')).toEqual(['Quokka Journey']);
    expect(await searchTitles(again, 'quirky')).toEqual(['Numbat Road']);
    await checkIndex(again);

    // Removing x-search drops every search structure.
    const dropped = await make(
      modelWith((p) => {
        delete p.title['x-search'];
        delete p.description['x-search'];
        p.title.maxLength = 500;
        p.tagline = { type: ['string', 'null'] };
      }),
      'drop-search',
      4,
    );
    expect(dropped.downStatements[ctx.dialect].join('\n')).toContain('movies_search');
    await migrateUp(again, workspace.migrationsDir);
    expect(await searchObjects(again)).toEqual([]);
    // The snapshot remembers no search, so the next make has nothing to do.
    const snapshot = JSON.parse(
      await readFile(
        dropped.files.find((f) => f.endsWith(`${ctx.dialect}/${dropped.id}.snapshot.json`))!,
        'utf8',
      ),
    );
    expect(snapshot.specstackSearch).toBeUndefined();
  });
});

describeEachDialect('search and migrate reset', (ctx) => {
  const workspace = useMigrateWorkspace(ctx);

  it('drops the search index with the tables and builds it again', async () => {
    const migrationsDir = workspace.migrationsDir;
    await makeMigration({
      model: withSearch,
      migrationsDir,
      name: 'init',
      specFile: 'catalogue.yaml',
    });
    const db = await workspace.connect(withSearch);
    await migrateUp(db, migrationsDir);
    await db.repository('Movie').insert({ title: 'The Matrix', genres: [] });
    const reset = await resetDatabase(db, migrationsDir, { environment: 'test' });
    expect(reset.applied).toHaveLength(1);
    expect(await searchTitles(db, 'matrix')).toEqual([]);
    await db.repository('Movie').insert({ title: 'The Matrix', genres: [] });
    expect(await searchTitles(db, 'matrix')).toEqual(['The Matrix']);
    await checkIndex(db);
  });
});

describe('search declarations', () => {
  it('refuses x-search on a fractional number or with an unknown weight', () => {
    expect(() =>
      modelWith((p) => {
        p.rating = { type: 'number', 'x-search': true };
      }),
    ).toThrow(/x-search needs a string property/);
    expect(() =>
      modelWith((p) => {
        p.title['x-search'] = { weight: 'E' };
      }),
    ).toThrow(/weight: A \| B \| C \| D/);
  });
});

describe('search around other changes', () => {
  const search = {
    movies: {
      key: 'id',
      fields: [{ column: 'title', weight: 'A' as const }],
      titleColumn: 'title',
    },
  };

  it('leaves the search alone when a new table only references the searched one', () => {
    for (const statement of [
      'CREATE TABLE `ratings` (`movie_id` integer NOT NULL, FOREIGN KEY (`movie_id`) REFERENCES `movies`(`id`) ON DELETE cascade);',
      'ALTER TABLE "ratings" ADD CONSTRAINT "ratings_movie_id_fk" FOREIGN KEY ("movie_id") REFERENCES "public"."movies"("id") ON DELETE cascade;',
    ]) {
      const dialect = statement.startsWith('CREATE') ? 'sqlite' : 'postgres';
      expect(searchChanges(dialect, search, search, [statement])).toEqual({
        before: [],
        after: [],
      });
    }
  });

  it('rebuilds the search when the searched table itself is rebuilt', () => {
    const changes = searchChanges('sqlite', search, search, ['DROP TABLE `movies`;']);
    expect(changes.before.length).toBeGreaterThan(0);
    expect(changes.after.some((statement) => statement.includes('VIRTUAL TABLE'))).toBe(true);
  });
});
