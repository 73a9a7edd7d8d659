// SQLite search structures: an external-content FTS5 table over the searched columns, folding case
// and diacritics (unicode61 remove_diacritics 2), kept in sync by triggers. Mirrors
// postgres/postgres-search-ddl.ts.

import { type SearchDdl, searchNames } from '../search-dialect.ts';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const sqliteSearchDdl: SearchDdl = {
  setup: () => [],
  teardown: () => [],
  create(tableName, search) {
    const names = searchNames(tableName);
    const fts = quote(names.index);
    const table = quote(tableName);
    const key = quote(search.key);
    const columns = search.fields.map((f) => quote(f.column));
    const list = columns.join(', ');
    const values = (row: 'new' | 'old') => columns.map((c) => `${row}.${c}`).join(', ');
    const remove = `INSERT INTO ${fts}(${fts}, rowid, ${list}) VALUES ('delete', old.${key}, ${values('old')});`;
    const add = `INSERT INTO ${fts}(rowid, ${list}) VALUES (new.${key}, ${values('new')});`;
    const trigger = (suffix: string) => quote(`${names.trigger}_${suffix}`);
    return [
      `CREATE VIRTUAL TABLE ${fts} USING fts5(${list}, content=${literal(tableName)}, content_rowid=${literal(search.key)}, tokenize='unicode61 remove_diacritics 2');`,
      `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${table} BEGIN ${add} END;`,
      `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${table} BEGIN ${remove} END;`,
      `CREATE TRIGGER ${trigger('update')} AFTER UPDATE OF ${list}, ${key} ON ${table} BEGIN ${remove} ${add} END;`,
      // Rows already in the table are indexed now.
      `INSERT INTO ${fts}(${fts}) VALUES ('rebuild');`,
    ];
  },
  drop(tableName) {
    const names = searchNames(tableName);
    return [
      ...['insert', 'delete', 'update'].map(
        (suffix) => `DROP TRIGGER IF EXISTS ${quote(`${names.trigger}_${suffix}`)};`,
      ),
      `DROP TABLE IF EXISTS ${quote(names.index)};`,
    ];
  },
};
