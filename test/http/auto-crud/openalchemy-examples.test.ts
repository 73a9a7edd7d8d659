// OpenAlchemy's relationship examples (examples/relationship/* in its repository), one per form,
// rewritten as specs for specstack under test/fixtures/openalchemy/: each is served by auto-CRUD
// and answers in the shape OpenAlchemy documents for `to_dict` (its generated TypedDicts), with
// the foreign keys named as its traditional models name them, on both dialects.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { type DialectContext, describeEachDialect } from '../../support/databases.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/openalchemy');

interface Example {
  /** Folder under test/fixtures/openalchemy. */
  name: string;
  /** Rows to write through the repositories, in order (foreign keys as their columns). */
  rows: [schema: string, row: Record<string, unknown>][];
  /** Expected answer per path. */
  answers: Record<string, unknown>;
  /** Foreign keys as `table.column -> table.column`, nullable or not. */
  foreignKeys: string[];
}

const EXAMPLES: Example[] = [
  {
    // EmployeeDict: id, name, division: DivisionDict (id, name).
    name: 'many-to-one',
    rows: [
      ['Division', { id: 1, name: 'Engineering' }],
      ['Employee', { id: 1, name: 'Ada', division_id: 1 }],
      ['Employee', { id: 2, name: 'Alan' }],
    ],
    answers: {
      '/division': [{ id: 1, name: 'Engineering' }],
      '/employee': [
        { id: 1, name: 'Ada', division: { id: 1, name: 'Engineering' } },
        { id: 2, name: 'Alan' },
      ],
    },
    foreignKeys: ['employee.division_id -> division.id (nullable)'],
  },
  {
    // The same with nullable: false beside the $ref: the foreign key is NOT NULL.
    name: 'many-to-one-not-nullable',
    rows: [
      ['Division', { id: 1, name: 'Engineering' }],
      ['Employee', { id: 1, name: 'Ada', division_id: 1 }],
    ],
    answers: { '/employee': [{ id: 1, name: 'Ada', division: { id: 1, name: 'Engineering' } }] },
    foreignKeys: ['employee.division_id -> division.id (not null)'],
  },
  {
    // x-backref gives Division an `employees` relationship; DivisionDict still has id and name
    // only, since Division's schema does not show it.
    name: 'many-to-one-backref',
    rows: [
      ['Division', { id: 1, name: 'Engineering' }],
      ['Employee', { id: 1, name: 'Ada', division_id: 1 }],
    ],
    answers: { '/employee': [{ id: 1, name: 'Ada', division: { id: 1, name: 'Engineering' } }] },
    foreignKeys: ['employee.division_id -> division.id (nullable)'],
  },
  {
    // x-foreign-key-column: name, so the key is division_name (name is x-unique here: a foreign
    // key must reference a unique column on PostgreSQL and SQLite alike).
    name: 'many-to-one-custom-foreign-key',
    rows: [
      ['Division', { id: 1, name: 'Engineering' }],
      ['Employee', { id: 1, name: 'Ada', division_name: 'Engineering' }],
    ],
    answers: { '/employee': [{ id: 1, name: 'Ada', division: { id: 1, name: 'Engineering' } }] },
    foreignKeys: ['employee.division_name -> division.name (nullable)'],
  },
  {
    // x-uselist: false with x-backref: a unique pay_info_id; EmployeeDict carries PayInfoDict.
    name: 'one-to-one',
    rows: [
      ['PayInfo', { id: 1, account_number: '12-3456-789' }],
      ['Employee', { id: 1, name: 'Ada', pay_info_id: 1 }],
    ],
    answers: {
      '/pay_info': [{ id: 1, account_number: '12-3456-789' }],
      '/employee': [{ id: 1, name: 'Ada', pay_info: { id: 1, account_number: '12-3456-789' } }],
    },
    foreignKeys: ['employee.pay_info_id -> pay_info.id (nullable, unique)'],
  },
  {
    // An array of Employee on Division: the key lives on employee as division_id; DivisionDict
    // has employees: Sequence[EmployeeDict].
    name: 'one-to-many',
    rows: [
      ['Division', { id: 1, name: 'Engineering' }],
      ['Division', { id: 2, name: 'Legal' }],
      ['Employee', { id: 1, name: 'Ada', division_id: 1 }],
      ['Employee', { id: 2, name: 'Alan', division_id: 1 }],
    ],
    answers: {
      '/division': [
        {
          id: 1,
          name: 'Engineering',
          employees: [
            { id: 1, name: 'Ada' },
            { id: 2, name: 'Alan' },
          ],
        },
        { id: 2, name: 'Legal', employees: [] },
      ],
      '/employee': [
        { id: 1, name: 'Ada' },
        { id: 2, name: 'Alan' },
      ],
    },
    foreignKeys: ['employee.division_id -> division.id (nullable)'],
  },
  {
    // x-secondary: employee_project, with employee_id and project_id (EmployeeProjectDict).
    name: 'many-to-many',
    rows: [
      ['Project', { id: 1, name: 'Expand abroad' }],
      ['Project', { id: 2, name: 'New office' }],
      ['Employee', { id: 1, name: 'Ada' }],
      ['Employee', { id: 2, name: 'Alan' }],
      ['employee_project', { employee_id: 1, project_id: 1 }],
      ['employee_project', { employee_id: 1, project_id: 2 }],
    ],
    answers: {
      '/project': [
        { id: 1, name: 'Expand abroad' },
        { id: 2, name: 'New office' },
      ],
      '/employee': [
        {
          id: 1,
          name: 'Ada',
          projects: [
            { id: 1, name: 'Expand abroad' },
            { id: 2, name: 'New office' },
          ],
        },
        { id: 2, name: 'Alan', projects: [] },
      ],
    },
    foreignKeys: [
      'employee_project.employee_id -> employee.id (not null)',
      'employee_project.project_id -> project.id (not null)',
    ],
  },
];

function foreignKeysOf(db: Database): string[] {
  return db.model.tables.flatMap((table) =>
    table.columns
      .filter((column) => column.foreignKey)
      .map((column) => {
        const flags = [column.nullable ? 'nullable' : 'not null', column.unique ? 'unique' : '']
          .filter(Boolean)
          .join(', ');
        const fk = column.foreignKey!;
        return `${table.tableName}.${column.name} -> ${fk.table}.${fk.column} (${flags})`;
      }),
  );
}

function describeExample(example: Example) {
  describeEachDialect(`OpenAlchemy example ${example.name}`, (ctx: DialectContext) => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startFixtureApp(
        path.join(FIXTURES, example.name),
        await ctx.createDatabaseUrl(),
      );
      for (const [schema, row] of example.rows) {
        await running.app.db.repository(schema).insert(row);
      }
    });
    afterAll(() => running?.close());

    it('names and constrains the foreign keys as OpenAlchemy does', () => {
      expect(foreignKeysOf(running.app.db).sort()).toEqual([...example.foreignKeys].sort());
    });

    it('answers in the shape OpenAlchemy documents', async () => {
      for (const [urlPath, expected] of Object.entries(example.answers)) {
        const answer = await request(running.url, 'GET', urlPath);
        expect(answer.status, urlPath).toBe(200);
        expect(answer.body, urlPath).toEqual(expected);
      }
    });
  });
}

for (const example of EXAMPLES) describeExample(example);
