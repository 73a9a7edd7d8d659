// x-timestamp: created and updated columns are set by the repository, on both dialects.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, TableRepository } from '../../src/db/database.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';

function documentWith(properties: Record<string, unknown>) {
  return {
    openapi: '3.1.0',
    info: { title: 'timestamps', version: '1' },
    paths: {},
    components: {
      schemas: {
        Note: {
          type: 'object',
          'x-tablename': 'notes',
          required: ['id', 'text'],
          properties: {
            id: { type: 'integer', 'x-primary-key': true, readOnly: true },
            text: { type: 'string' },
            ...properties,
          },
        },
      },
    },
  };
}

const model = deriveModel(
  documentWith({
    created_at: { type: 'string', format: 'date-time', readOnly: true, 'x-timestamp': 'created' },
    updated_at: { type: 'string', format: 'date-time', readOnly: true, 'x-timestamp': 'updated' },
  }),
  'openapi.yaml',
);

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('x-timestamp in the model', () => {
  it('is carried on the column description', () => {
    const columns = model.tables[0]!.columns;
    expect(columns.find((c) => c.name === 'created_at')?.timestamp).toBe('created');
    expect(columns.find((c) => c.name === 'updated_at')?.timestamp).toBe('updated');
    expect(columns.find((c) => c.name === 'text')?.timestamp).toBeUndefined();
  });

  it('refuses an unknown kind, naming the property', () => {
    const document = documentWith({
      at: { type: 'string', format: 'date-time', 'x-timestamp': 'deleted' },
    });
    expect(() => deriveModel(document, 'openapi.yaml')).toThrow(
      expect.objectContaining({
        code: 'SPECSTACK_ERR_MODEL_INVALID',
        pointer: 'openapi.yaml#/components/schemas/Note/properties/at/x-timestamp',
      }),
    );
  });

  it('refuses it on a column that is not a date-time', () => {
    const document = documentWith({ at: { type: 'string', 'x-timestamp': 'created' } });
    expect(() => deriveModel(document, 'openapi.yaml')).toThrow(/format date-time/);
  });
});

describeEachDialect('x-timestamp columns', (ctx) => {
  let db: Database;
  let notes: TableRepository;

  beforeEach(async () => {
    db = await openWithSchema(ctx, model);
    notes = db.repository('Note');
  });
  afterEach(() => db.close());

  it('sets created and updated to the insert time', async () => {
    const before = new Date().toISOString();
    const note = await notes.insert({ text: 'a' });
    const after = new Date().toISOString();
    expect(note.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const created = String(note.created_at);
    expect(created >= before && created <= after).toBe(true);
    expect(note.updated_at).toBe(note.created_at);
  });

  it('keeps a value the caller gives (an import with its own dates)', async () => {
    const at = '2015-03-04T05:06:07.000Z';
    const note = await notes.insert({ text: 'old', created_at: at, updated_at: at });
    expect(note).toMatchObject({ created_at: at, updated_at: at });
  });

  it('moves updated, not created, on PATCH and on PUT', async () => {
    const note = await notes.insert({ text: 'a' });
    await tick();
    const patched = await notes.update(note.id as number, { text: 'b' });
    expect(patched?.created_at).toBe(note.created_at);
    expect(String(patched?.updated_at) > String(note.updated_at)).toBe(true);
    await tick();
    const replaced = await notes.replace(note.id as number, { text: 'c' });
    expect(replaced?.created_at).toBe(note.created_at);
    expect(String(replaced?.updated_at) > String(patched?.updated_at)).toBe(true);
  });

  it('leaves both alone on an empty PATCH, which changes nothing', async () => {
    const note = await notes.insert({ text: 'a' });
    await tick();
    expect(await notes.update(note.id as number, {})).toEqual(note);
  });
});
