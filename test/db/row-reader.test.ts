// The row reader turns a driver's arrays of column values into API rows: fields in table order,
// each column's conversion, hidden and NULL-omitted columns left out, and column names that
// could read as code taken as names only.

import { describe, expect, it } from 'vitest';
import { createRowReader, versionOf } from '../../src/db/row-reader.ts';
import type { ColumnDescription, TableDescription } from '../../src/model/table-description.ts';

function column(name: string, type: ColumnDescription['type']): ColumnDescription {
  return {
    name,
    type,
    primaryKey: false,
    autoincrement: false,
    nullable: true,
    unique: false,
    index: false,
    readOnly: false,
    writeOnly: false,
    pointer: `#/components/schemas/Thing/properties/${name}`,
  };
}

function table(columns: ColumnDescription[], version?: string): TableDescription {
  return {
    schemaName: 'Thing',
    tableName: 'things',
    columns,
    primaryKey: ['id'],
    indexes: [],
    relationships: [],
    ...(version ? { version } : {}),
    pointer: '#/components/schemas/Thing',
  };
}

describe('row reader', () => {
  it('builds rows in table order whatever order the statement returns its columns in', () => {
    const things = table([
      column('id', 'integer'),
      column('name', 'text'),
      column('done', 'boolean'),
    ]);
    const read = createRowReader(things, 'sqlite', ['done', 'id', 'name']);
    const row = read([1, 7, 'seven']);
    expect(row).toEqual({ id: 7, name: 'seven', done: true });
    expect(Object.keys(row)).toEqual(['id', 'name', 'done']);
    expect(read([0, 8, null])).toEqual({ id: 8, name: null, done: false });
  });

  it("applies each dialect's conversions and leaves NULL as null", () => {
    const things = table([
      column('id', 'bigint'),
      column('at', 'timestamp'),
      column('day', 'date'),
      column('data', 'json'),
    ]);
    const pg = createRowReader(things, 'postgres', ['id', 'at', 'day', 'data']);
    expect(
      pg(['9007199254740991', new Date('2026-12-03T10:00:00Z'), '2026-12-03', { a: 1 }]),
    ).toEqual({
      id: 9007199254740991,
      at: '2026-12-03T10:00:00.000Z',
      day: '2026-12-03',
      data: { a: 1 },
    });
    const sqlite = createRowReader(things, 'sqlite', ['id', 'at', 'day', 'data']);
    expect(sqlite([3, null, undefined, '{"b":[2]}'])).toEqual({
      id: 3,
      at: null,
      day: null,
      data: { b: [2] },
    });
  });

  it('leaves out hidden columns, and NULL-omitted ones only when they are NULL', () => {
    const things = table([
      column('id', 'integer'),
      column('secret', 'text'),
      column('tag', 'text'),
    ]);
    const read = createRowReader(things, 'sqlite', ['id', 'secret', 'tag'], {
      hidden: new Set(['secret']),
      omitNull: new Set(['tag']),
    });
    expect(read([1, 'hunter2', null])).toEqual({ id: 1 });
    expect(Object.keys(read([1, 'hunter2', null]))).toEqual(['id']);
    expect(read([2, 'hunter2', 'dog'])).toEqual({ id: 2, tag: 'dog' });
  });

  it('takes column names that look like code as names', () => {
    const names = [
      'id',
      'a"b',
      "c'd",
      'e\\f',
      'g\nh',
      '"]; globalThis.hacked = true; //',
      '\u2028',
    ];
    const things = table(names.map((name) => column(name, 'text')));
    const read = createRowReader(things, 'sqlite', names);
    const row = read(names.map((_, i) => `value ${i}`));
    expect(Object.keys(row)).toEqual(names);
    expect(Object.values(row)).toEqual(names.map((_, i) => `value ${i}`));
    expect((globalThis as { hacked?: boolean }).hacked).toBeUndefined();
  });

  it("keeps an x-versioned row's version beside it, out of its fields", () => {
    const things = table(
      [column('id', 'integer'), column('row_version', 'integer')],
      'row_version',
    );
    const read = createRowReader(things, 'sqlite', ['id', 'row_version'], {
      hidden: new Set(['row_version']),
      omitNull: new Set(),
    });
    const row = read([5, 3]);
    expect(JSON.stringify(row)).toBe('{"id":5}');
    expect(versionOf(row)).toBe(3);
  });
});
