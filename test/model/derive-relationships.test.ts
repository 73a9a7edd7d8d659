import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/model/derive-model.ts';
import type { TableDescription } from '../../src/model/table-description.ts';

type Schemas = Record<string, unknown>;

const division = {
  type: 'object',
  'x-tablename': 'divisions',
  properties: {
    id: { type: 'integer', 'x-primary-key': true },
    code: { type: 'string', 'x-unique': true },
  },
};

function employee(properties: Schemas, required: string[] = []) {
  return {
    type: 'object',
    'x-tablename': 'employees',
    required,
    properties: { id: { type: 'integer', 'x-primary-key': true }, ...properties },
  };
}

function model(schemas: Schemas): Map<string, TableDescription> {
  const document = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  };
  return new Map(deriveModel(document, 'openapi.yaml').tables.map((t) => [t.tableName, t]));
}

function fail(schemas: Schemas) {
  try {
    model(schemas);
  } catch (error) {
    return error as { code: string; pointer: string; message: string };
  }
  throw new Error('expected deriveModel to throw');
}

const column = (t: TableDescription | undefined, name: string) =>
  t?.columns.find((c) => c.name === name);

describe('deriveModel relationships', () => {
  it('turns a $ref to another table into a many-to-one with a <property>_<key> foreign key', () => {
    const tables = model({ Division: division, Employee: employee({ division }, ['division']) });
    const employees = tables.get('employees');
    expect(column(employees, 'division')).toBeUndefined();
    expect(column(employees, 'division_id')).toMatchObject({
      type: 'integer',
      nullable: false,
      foreignKey: { table: 'divisions', column: 'id' },
    });
    expect(employees?.relationships).toMatchObject([
      { property: 'division', kind: 'many-to-one', foreignKeyOn: 'self', targetSchema: 'Division' },
    ]);
    // the referenced table comes first, so the migration creates it before the foreign key
    expect([...tables.keys()]).toEqual(['divisions', 'employees']);
  });

  it('makes a relationship that is not required nullable, and honours ondelete and x-foreign-key-column', () => {
    const ref = {
      allOf: [
        division,
        { 'x-foreign-key-column': 'code', 'x-foreign-key-kwargs': { ondelete: 'SET NULL' } },
      ],
    };
    const tables = model({ Division: division, Employee: employee({ division: ref }) });
    expect(column(tables.get('employees'), 'division_code')).toMatchObject({
      type: 'text',
      nullable: true,
      foreignKey: { table: 'divisions', column: 'code', onDelete: 'set null' },
    });
  });

  it('makes x-uselist: false a one-to-one with a unique foreign key and a single backref', () => {
    const ref = { allOf: [division, { 'x-backref': 'employee', 'x-uselist': false }] };
    const tables = model({ Division: division, Employee: employee({ division: ref }) });
    expect(column(tables.get('employees'), 'division_id')?.unique).toBe(true);
    expect(tables.get('divisions')?.relationships).toMatchObject([
      { property: 'employee', kind: 'one-to-one', foreignKeyOn: 'target', readOnly: true },
    ]);
  });

  it('puts the foreign key of a one-to-many on the target, named <table>_<key>', () => {
    const Employee = employee({});
    const Division = {
      ...division,
      properties: { ...division.properties, employees: { type: 'array', items: Employee } },
    };
    const tables = model({ Employee, Division });
    expect(column(tables.get('employees'), 'divisions_id')).toMatchObject({
      nullable: true,
      foreignKey: { table: 'divisions', column: 'id' },
    });
    expect(tables.get('divisions')?.relationships).toMatchObject([
      { property: 'employees', kind: 'one-to-many', foreignKeyOn: 'target' },
    ]);
    expect([...tables.keys()]).toEqual(['divisions', 'employees']);
  });

  it('adds the reverse property named by x-backref', () => {
    const ref = { allOf: [division, { 'x-backref': 'employees' }] };
    const tables = model({ Division: division, Employee: employee({ division: ref }) });
    expect(tables.get('divisions')?.relationships).toMatchObject([
      {
        property: 'employees',
        kind: 'one-to-many',
        targetSchema: 'Employee',
        foreignKeyOn: 'target',
        foreignKeyColumn: 'division_id',
        fromBackref: true,
      },
    ]);
  });

  it('generates the x-secondary association table of a many-to-many, keyed by both sides', () => {
    const Employee = employee({
      divisions: {
        type: 'array',
        items: {
          allOf: [division, { 'x-secondary': 'employee_division', 'x-backref': 'employees' }],
        },
      },
    });
    const tables = model({ Division: division, Employee });
    const link = tables.get('employee_division');
    expect(link?.primaryKey).toEqual(['employees_id', 'divisions_id']);
    expect(link?.columns.map((c) => [c.name, c.foreignKey])).toEqual([
      ['employees_id', { table: 'employees', column: 'id', onDelete: 'cascade' }],
      ['divisions_id', { table: 'divisions', column: 'id', onDelete: 'cascade' }],
    ]);
    expect(tables.get('divisions')?.relationships).toMatchObject([
      {
        property: 'employees',
        kind: 'many-to-many',
        foreignKeyColumn: 'employees_id',
        secondary: { ownColumn: 'divisions_id' },
      },
    ]);
  });

  it('takes a property the other side declares for a backref as that backref, not a second relationship', () => {
    const Employee = employee({ division: { allOf: [division, { 'x-backref': 'employees' }] } });
    const Division = {
      ...division,
      properties: {
        ...division.properties,
        employees: { type: 'array', readOnly: true, items: employee({}) },
      },
    };
    const tables = model({ Division, Employee });
    expect(tables.get('employees')?.columns.map((c) => c.name)).toEqual(['id', 'division_id']);
    expect(tables.get('divisions')?.relationships).toHaveLength(1);
  });

  it('takes a readOnly property of the backref name, of an inline shape, as that backref and not a JSON column', () => {
    const Employee = employee({ division: { allOf: [division, { 'x-backref': 'employees' }] } });
    const inline = {
      type: 'array',
      readOnly: true,
      items: { type: 'object', properties: { id: { type: 'integer' } } },
    };
    const Division = { ...division, properties: { ...division.properties, employees: inline } };
    const divisions = model({ Division, Employee }).get('divisions');
    expect(column(divisions, 'employees')).toBeUndefined();
    expect(divisions?.relationships).toMatchObject([{ property: 'employees', fromBackref: false }]);
  });

  it('refuses set null on a required relationship, naming the property', () => {
    const ref = { allOf: [division, { 'x-foreign-key-kwargs': { ondelete: 'set null' } }] };
    const error = fail({ Division: division, Employee: employee({ division: ref }, ['division']) });
    expect(error.code).toBe('SPECSTACK_ERR_MODEL_INVALID');
    expect(error.pointer).toBe(
      'openapi.yaml#/components/schemas/Employee/properties/division/x-foreign-key-kwargs/ondelete',
    );
  });

  it('refuses an x-foreign-key-column that is neither the key nor unique', () => {
    const target = {
      ...division,
      properties: { ...division.properties, name: { type: 'string' } },
    };
    const ref = { allOf: [target, { 'x-foreign-key-column': 'name' }] };
    const error = fail({ Division: target, Employee: employee({ division: ref }) });
    expect(error.pointer).toBe(
      'openapi.yaml#/components/schemas/Employee/properties/division/x-foreign-key-column',
    );
  });

  it('refuses x-secondary on a single object', () => {
    const error = fail({
      Division: division,
      Employee: employee({ division: { allOf: [division, { 'x-secondary': 'links' }] } }),
    });
    expect(error.pointer).toBe(
      'openapi.yaml#/components/schemas/Employee/properties/division/x-secondary',
    );
  });

  it('reads an object with x-foreign-key as a to-one in a shape of its own, reusing a declared key column', () => {
    const shape = {
      type: 'object',
      readOnly: true,
      'x-foreign-key': 'divisions.code',
      'x-backref': 'employees',
      properties: { code: { type: 'string' } },
    };
    const declaredKey = { type: 'string', 'x-foreign-key': 'divisions.code' };
    const tables = model({
      Division: division,
      Employee: employee({ division_code: declaredKey, division: shape }),
    });
    const employees = tables.get('employees');
    expect(employees?.columns.map((c) => c.name)).toEqual(['id', 'division_code']);
    expect(employees?.relationships).toMatchObject([
      { property: 'division', kind: 'many-to-one', referencedColumn: 'code', readOnly: true },
    ]);
    expect(tables.get('divisions')?.relationships).toMatchObject([
      { property: 'employees', kind: 'one-to-many', fromBackref: true },
    ]);
  });

  it('refuses a shape of its own that shows a property the target has no column for', () => {
    const shape = {
      type: 'object',
      'x-foreign-key': 'divisions.id',
      properties: { id: { type: 'integer' }, budget: { type: 'number' } },
    };
    const error = fail({ Division: division, Employee: employee({ division: shape }) });
    expect(error.message).toContain('no column "budget"');
    expect(error.pointer).toBe(
      'openapi.yaml#/components/schemas/Employee/properties/division/properties/budget',
    );
  });

  it('makes a relationship NOT NULL with a 3.0 nullable: false beside the $ref', () => {
    const ref = { allOf: [division, { 'x-nullable': false }] };
    const tables = model({ Division: division, Employee: employee({ division: ref }) });
    expect(column(tables.get('employees'), 'division_id')?.nullable).toBe(false);
  });

  it('derives x-summary-of over a backref, with its aggregates, and no column', () => {
    const Employee = employee({
      salary: { type: 'number' },
      division: { allOf: [division, { 'x-backref': 'employees' }] },
    });
    const summary = {
      type: 'object',
      readOnly: true,
      'x-summary-of': 'employees',
      properties: {
        headcount: { type: 'integer', 'x-aggregate': 'count' },
        payroll: { type: ['number', 'null'], 'x-aggregate': 'sum(salary)' },
      },
    };
    const Division = { ...division, properties: { ...division.properties, staff: summary } };
    const divisions = model({ Division, Employee }).get('divisions');
    expect(column(divisions, 'staff')).toBeUndefined();
    expect(divisions?.summaries).toMatchObject([
      {
        property: 'staff',
        relationship: { property: 'employees', kind: 'one-to-many' },
        fields: [
          { name: 'headcount', fn: 'count' },
          { name: 'payroll', fn: 'sum', column: 'salary' },
        ],
      },
    ]);
  });

  it('refuses a summary of something that is no one-to-many, or of a column that is not numeric', () => {
    const summary = (of: string, aggregate: string) => ({
      ...division,
      properties: {
        ...division.properties,
        staff: {
          type: 'object',
          readOnly: true,
          'x-summary-of': of,
          properties: { n: { type: 'number', 'x-aggregate': aggregate } },
        },
      },
    });
    const Employee = employee({ division: { allOf: [division, { 'x-backref': 'employees' }] } });
    expect(fail({ Division: summary('nobody', 'count'), Employee }).pointer).toBe(
      'openapi.yaml#/components/schemas/Division/properties/staff/x-summary-of',
    );
    expect(fail({ Division: summary('employees', 'avg(name)'), Employee }).message).toContain(
      'no numeric column "name"',
    );
  });
});

describe('deriveModel relationship x-kwargs', () => {
  const divisions = (kwargs: unknown, many = true) => {
    const related = { allOf: [employee({}), { 'x-kwargs': kwargs }] };
    return {
      ...division,
      properties: {
        ...division.properties,
        staff: many ? { type: 'array', items: related } : related,
      },
    };
  };
  const pointer = 'openapi.yaml#/components/schemas/Division/properties/staff/x-kwargs';

  it('reads order_by of a to-many: a column of the target, optionally desc', () => {
    const tables = model({ Division: divisions({ order_by: 'id desc' }), Employee: employee({}) });
    expect(tables.get('divisions')?.relationships).toMatchObject([
      { property: 'staff', kind: 'one-to-many', orderBy: [{ column: 'id', direction: 'desc' }] },
    ]);
    const listed = model({ Division: divisions({ order_by: ['id'] }), Employee: employee({}) });
    expect(listed.get('divisions')?.relationships[0]?.orderBy).toEqual([
      { column: 'id', direction: 'asc' },
    ]);
  });

  it('refuses an x-kwargs argument specstack does not implement, with its pointer', () => {
    const error = fail({ Division: divisions({ lazy: 'joined' }), Employee: employee({}) });
    expect(error.code).toBe('SPECSTACK_ERR_MODEL_INVALID');
    expect(error.pointer).toBe(`${pointer}/lazy`);
    expect(error.message).toContain('x-kwargs "lazy" is not supported');
  });

  it('refuses an order_by that names no column of the target, or sorts a to-one', () => {
    const unknown = fail({ Division: divisions({ order_by: 'rank' }), Employee: employee({}) });
    expect(unknown.pointer).toBe(`${pointer}/order_by`);
    expect(unknown.message).toContain('order_by names "rank", which employees lacks');
    const toOne = fail({ Division: divisions({ order_by: 'id' }, false), Employee: employee({}) });
    expect(toOne.pointer).toBe(`${pointer}/order_by`);
    const malformed = fail({
      Division: divisions({ order_by: 'id; drop' }),
      Employee: employee({}),
    });
    expect(malformed.pointer).toBe(`${pointer}/order_by`);
  });
});
