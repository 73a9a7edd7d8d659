import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/model/derive-model.ts';
import type { ColumnDescription, TableDescription } from '../../src/model/table-description.ts';

type Schemas = Record<string, unknown>;

function doc(schemas: Schemas) {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  };
}

/** One table `things` with an integer key `id` plus the given properties. */
function thing(properties: Schemas, extra: Schemas = {}) {
  return {
    Thing: {
      type: 'object',
      'x-tablename': 'things',
      properties: { id: { type: 'integer', 'x-primary-key': true }, ...properties },
      ...extra,
    },
  };
}

function table(schemas: Schemas, name = 'things'): TableDescription {
  const found = deriveModel(doc(schemas), 'openapi.yaml').tables.find((t) => t.tableName === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

function column(schemas: Schemas, name: string, tableName = 'things'): ColumnDescription {
  return table(schemas, tableName).columns.find((c) => c.name === name)!;
}

function modelError(schemas: Schemas) {
  try {
    deriveModel(doc(schemas), 'openapi.yaml');
  } catch (error) {
    return error as { code: string; pointer: string; message: string };
  }
  throw new Error('expected deriveModel to throw');
}

describe('deriveModel', () => {
  it('makes a table of every x-tablename schema and ignores the others', () => {
    const model = deriveModel(
      doc({ ...thing({}), Error: { type: 'object', properties: { message: { type: 'string' } } } }),
      'openapi.yaml',
    );
    expect(model.tables.map((t) => [t.schemaName, t.tableName, t.pointer])).toEqual([
      ['Thing', 'things', 'openapi.yaml#/components/schemas/Thing'],
    ]);
  });

  it('returns no tables for a document without components', () => {
    expect(deriveModel({ openapi: '3.1.0', paths: {} }, 'openapi.yaml')).toEqual({ tables: [] });
  });

  it.each([
    [{ type: 'integer' }, 'integer'],
    [{ type: 'integer', format: 'int32' }, 'integer'],
    [{ type: 'integer', format: 'int64' }, 'bigint'],
    [{ type: 'number', format: 'float' }, 'real'],
    [{ type: 'number', format: 'double' }, 'double'],
    [{ type: 'number' }, 'double'],
    [{ type: 'string' }, 'text'],
    [{ type: 'string', format: 'email' }, 'text'],
    [{ type: 'string', format: 'password' }, 'text'],
    [{ type: 'string', format: 'date' }, 'date'],
    [{ type: 'string', format: 'date-time' }, 'timestamp'],
    [{ type: 'string', format: 'uuid' }, 'uuid'],
    [{ type: 'string', format: 'binary' }, 'binary'],
    [{ type: 'string', format: 'byte' }, 'binary'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: 'object', properties: { a: { type: 'string' } } }, 'json'],
    [{ type: 'array', items: { type: 'string' } }, 'json'],
    [{ type: 'string', 'x-json': true }, 'json'],
    [{ type: ['string', 'integer'] }, 'json'],
    [{ enum: ['a', 'b'] }, 'text'],
    [{ type: ['string', 'null'], format: 'date-time' }, 'timestamp'],
  ])('stores %j as %s', (schema, type) => {
    expect(column(thing({ value: schema }), 'value').type).toBe(type);
  });

  describe('nullability', () => {
    it('makes a required property NOT NULL and an optional one nullable', () => {
      const schemas = thing({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['a'] });
      expect(column(schemas, 'a').nullable).toBe(false);
      expect(column(schemas, 'b').nullable).toBe(true);
    });

    it('lets explicit nullability win over required, in 3.1 and leftover 3.0 form', () => {
      const schemas = thing(
        {
          a: { type: ['string', 'null'] },
          b: { type: 'string', nullable: true },
          c: { type: 'string', nullable: false },
        },
        { required: ['a', 'b'] },
      );
      expect(column(schemas, 'a').nullable).toBe(true);
      expect(column(schemas, 'b').nullable).toBe(true);
      expect(column(schemas, 'c').nullable).toBe(false);
    });

    it('never makes a primary key nullable', () => {
      const schemas = {
        Thing: {
          'x-tablename': 'things',
          properties: { id: { type: ['integer', 'null'], 'x-primary-key': true } },
        },
      };
      expect(column(schemas, 'id').nullable).toBe(false);
    });
  });

  it('carries readOnly, writeOnly, default, maxLength and enum', () => {
    const c = column(
      thing({
        a: { type: 'string', readOnly: true, default: 'x', maxLength: 12, enum: ['x', 'y', null] },
        b: { type: 'string', format: 'password', writeOnly: true },
      }),
      'a',
    );
    expect(c).toMatchObject({
      readOnly: true,
      writeOnly: false,
      default: 'x',
      maxLength: 12,
      enum: ['x', 'y'],
    });
    expect(column(thing({ b: { type: 'string', writeOnly: true } }), 'b').writeOnly).toBe(true);
  });

  it('records x-unique and x-index on the column', () => {
    const schemas = thing({ a: { type: 'string', 'x-unique': true, 'x-index': true } });
    expect(column(schemas, 'a')).toMatchObject({ unique: true, index: true });
    expect(column(schemas, 'id')).toMatchObject({ unique: false, index: false });
  });

  it('names the property pointer, escaping / and ~', () => {
    const c = column(thing({ 'a/b~c': { type: 'string' } }), 'a/b~c');
    expect(c.pointer).toBe('openapi.yaml#/components/schemas/Thing/properties/a~1b~0c');
  });

  describe('primary keys and autoincrement', () => {
    it('generates a lone integer primary key unless x-autoincrement is false', () => {
      expect(column(thing({}), 'id')).toMatchObject({ primaryKey: true, autoincrement: true });
      const off = {
        Thing: {
          'x-tablename': 'things',
          properties: { id: { type: 'integer', 'x-primary-key': true, 'x-autoincrement': false } },
        },
      };
      expect(column(off, 'id').autoincrement).toBe(false);
    });

    it('does not generate a string key', () => {
      const schemas = {
        Thing: {
          'x-tablename': 'things',
          properties: { code: { type: 'string', 'x-primary-key': true } },
        },
      };
      expect(column(schemas, 'code').autoincrement).toBe(false);
    });

    it('supports a composite primary key, in property order', () => {
      const schemas = {
        Link: {
          'x-tablename': 'links',
          properties: {
            a: { type: 'integer', 'x-primary-key': true },
            b: { type: 'integer', 'x-primary-key': true },
          },
        },
      };
      const t = table(schemas, 'links');
      expect(t.primaryKey).toEqual(['a', 'b']);
      expect(t.columns.every((c) => !c.autoincrement && !c.nullable)).toBe(true);
    });

    it('rejects a table without a primary key, naming the schema', () => {
      const error = modelError({
        Pet: { 'x-tablename': 'pets', properties: { name: { type: 'string' } } },
      });
      expect(error).toMatchObject({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Pet',
      });
      expect(error.message).toContain('x-primary-key');
    });

    it('rejects x-autoincrement on a non-integer column, naming the property', () => {
      const error = modelError({
        Pet: {
          'x-tablename': 'pets',
          properties: { id: { type: 'string', 'x-primary-key': true, 'x-autoincrement': true } },
        },
      });
      expect(error).toMatchObject({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Pet/properties/id',
      });
    });

    it('rejects x-autoincrement on a column that is not the lone primary key', () => {
      const error = modelError(thing({ n: { type: 'integer', 'x-autoincrement': true } }));
      expect(error.pointer).toBe('openapi.yaml#/components/schemas/Thing/properties/n');
    });

    it('rejects an x- flag that is not a boolean', () => {
      const error = modelError(thing({ n: { type: 'integer', 'x-unique': 'yes' } }));
      expect(error.pointer).toBe('openapi.yaml#/components/schemas/Thing/properties/n/x-unique');
    });
  });

  describe('foreign keys', () => {
    const owner = {
      Owner: {
        'x-tablename': 'owners',
        properties: {
          id: { type: 'integer', 'x-primary-key': true },
          code: { type: 'string', 'x-unique': true },
          name: { type: 'string' },
        },
      },
    };

    it('reads table.column and OpenAlchemy ondelete', () => {
      const schemas = {
        ...thing({
          ownerId: {
            type: 'integer',
            'x-foreign-key': 'owners.id',
            'x-foreign-key-kwargs': { ondelete: 'SET NULL' },
          },
          ownerCode: { type: 'string', 'x-foreign-key': 'owners.code' },
        }),
        ...owner,
      };
      expect(column(schemas, 'ownerId').foreignKey).toEqual({
        table: 'owners',
        column: 'id',
        onDelete: 'set null',
      });
      expect(column(schemas, 'ownerCode').foreignKey).toEqual({ table: 'owners', column: 'code' });
    });

    it('puts a referenced table before the tables that reference it', () => {
      const schemas = {
        ...thing({ ownerId: { type: 'integer', 'x-foreign-key': 'owners.id' } }),
        Leaf: {
          'x-tablename': 'leaves',
          properties: {
            id: { type: 'integer', 'x-primary-key': true },
            thingId: { type: 'integer', 'x-foreign-key': 'things.id' },
            parentId: { type: 'integer', 'x-foreign-key': 'leaves.id' },
          },
        },
        ...owner,
      };
      const order = deriveModel(doc(schemas), 'openapi.yaml').tables.map((t) => t.tableName);
      expect(order).toEqual(['owners', 'things', 'leaves']);
    });

    it.each([
      ['pets.id', 'no schema declares'],
      ['owners.nope', 'lacks'],
      ['owners', 'table.column'],
    ])('rejects x-foreign-key %s, naming the property', (target, message) => {
      const error = modelError({
        ...thing({ ownerId: { type: 'integer', 'x-foreign-key': target } }),
        ...owner,
      });
      expect(error.code).toBe('SPECSTACK_ERR_MODEL_INVALID');
      expect(error.pointer).toBe(
        'openapi.yaml#/components/schemas/Thing/properties/ownerId/x-foreign-key',
      );
      expect(error.message).toContain(message);
    });

    it('rejects a foreign key whose type differs from the referenced column', () => {
      const error = modelError({
        ...thing({ ownerId: { type: 'string', 'x-foreign-key': 'owners.id' } }),
        ...owner,
      });
      expect(error.message).toMatch(/text but owners\.id is integer/);
    });

    it('accepts an int64 foreign key to an int32 key', () => {
      const schemas = {
        ...thing({ ownerId: { type: 'integer', format: 'int64', 'x-foreign-key': 'owners.id' } }),
        ...owner,
      };
      expect(column(schemas, 'ownerId').type).toBe('bigint');
    });

    it('rejects a reference to a column that is neither key nor unique', () => {
      const error = modelError({
        ...thing({ ownerName: { type: 'string', 'x-foreign-key': 'owners.name' } }),
        ...owner,
      });
      expect(error.message).toContain('primary key or x-unique');
    });

    it('rejects an unknown ondelete action', () => {
      const error = modelError({
        ...thing({
          ownerId: {
            type: 'integer',
            'x-foreign-key': 'owners.id',
            'x-foreign-key-kwargs': { ondelete: 'EXPLODE' },
          },
        }),
        ...owner,
      });
      expect(error.pointer).toMatch(/x-foreign-key-kwargs\/ondelete$/);
    });
  });

  describe('composite indexes', () => {
    const props = { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } };

    it('accepts every OpenAlchemy form and names unnamed indexes', () => {
      const t = table(
        thing(props, {
          'x-composite-index': [['a', 'b'], { name: 'ix_custom', expressions: ['c', 'a'] }],
          'x-composite-unique': ['b', 'c'],
        }),
      );
      expect(t.indexes).toEqual([
        { name: 'ix_things_a_b', columns: ['a', 'b'], unique: false },
        { name: 'ix_custom', columns: ['c', 'a'], unique: false },
        { name: 'uq_things_b_c', columns: ['b', 'c'], unique: true },
      ]);
    });

    it('accepts a single object with unique', () => {
      const t = table(
        thing(props, { 'x-composite-index': { expressions: ['a', 'c'], unique: true } }),
      );
      expect(t.indexes).toEqual([{ name: 'uq_things_a_c', columns: ['a', 'c'], unique: true }]);
    });

    it('rejects an index on an unknown property, naming the extension', () => {
      const error = modelError(thing(props, { 'x-composite-unique': [['a', 'zz']] }));
      expect(error.pointer).toBe('openapi.yaml#/components/schemas/Thing/x-composite-unique/0');
      expect(error.message).toContain('zz');
    });
  });

  describe('relationships', () => {
    const owner = {
      'x-tablename': 'owners',
      type: 'object',
      properties: { id: { type: 'integer', 'x-primary-key': true } },
    };

    it('stores a table-typed property marked x-json as JSON', () => {
      const schemas = { ...thing({ owner: { ...owner, 'x-json': true } }), Owner: owner };
      expect(column(schemas, 'owner').type).toBe('json');
    });
  });

  it('merges allOf parts of a table schema', () => {
    const schemas = {
      Thing: {
        'x-tablename': 'things',
        allOf: [
          { properties: { id: { type: 'integer', 'x-primary-key': true } } },
          { properties: { name: { type: 'string' } }, required: ['name'] },
        ],
      },
    };
    expect(table(schemas).columns.map((c) => [c.name, c.nullable])).toEqual([
      ['id', false],
      ['name', false],
    ]);
  });

  it('rejects two schemas with the same x-tablename', () => {
    const error = modelError({ ...thing({}), Other: thing({}).Thing });
    expect(error.pointer).toBe('openapi.yaml#/components/schemas/Other/x-tablename');
  });

  it('rejects an x-tablename that is not an SQL identifier', () => {
    const error = modelError({ Thing: { ...thing({}).Thing, 'x-tablename': 'my things' } });
    expect(error.pointer).toBe('openapi.yaml#/components/schemas/Thing/x-tablename');
  });

  describe('x-versioned', () => {
    it('adds a row_version column: integer, not null, 1 by default, written by the server alone', () => {
      const versioned = table(thing({ name: { type: 'string' } }, { 'x-versioned': true }));
      expect(versioned.version).toBe('row_version');
      expect(versioned.columns.find((c) => c.name === 'row_version')).toMatchObject({
        type: 'integer',
        nullable: false,
        default: 1,
        readOnly: true,
        implied: true,
        pointer: 'openapi.yaml#/components/schemas/Thing/x-versioned',
      });
      const plain = table(thing({ row_version: { type: 'string' } }, { 'x-versioned': false }));
      expect(plain.version).toBeUndefined();
      expect(plain.columns.find((c) => c.name === 'row_version')?.type).toBe('text');
    });

    it('refuses a value other than true or false, naming its pointer', () => {
      expect(modelError(thing({}, { 'x-versioned': 'yes' }))).toMatchObject({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Thing/x-versioned',
        message: expect.stringContaining('x-versioned must be true or false'),
      });
    });

    it('refuses a schema that already declares row_version, naming the property', () => {
      expect(
        modelError(thing({ row_version: { type: 'integer' } }, { 'x-versioned': true })),
      ).toMatchObject({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Thing/properties/row_version',
      });
    });

    it('refuses x-versioned on a schema without x-tablename', () => {
      const error = modelError({
        ...thing({}),
        Summary: { type: 'object', 'x-versioned': true, properties: { n: { type: 'integer' } } },
      });
      expect(error).toMatchObject({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Summary/x-versioned',
        message: expect.stringContaining('needs x-tablename'),
      });
    });
  });
});
