// Compile-time proofs of typed handlers, checked by `tsc --noEmit` over the tree: each
// `@ts-expect-error` line must be an error, or tsc fails on the unused directive.

import { respond } from 'specstack';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type Context,
  handler,
  type Operations,
  type Row,
  type Tables,
} from './fixture/types/spec.ts';

type Note = {
  id: number;
  title: string;
  body?: string | null;
  pinned: boolean;
  created_at: string;
};

describe('typed handlers', () => {
  it('types parameters, defaults and declared headers from the spec', () => {
    expectTypeOf<Operations['getNote']['params']>().toEqualTypeOf<{ noteId: number }>();
    expectTypeOf<Operations['listNotes']['query']>().toEqualTypeOf<{
      limit: number;
      tag?: string;
    }>();
    expectTypeOf<Operations['listNotes']['headers']>().toEqualTypeOf<{ 'x-tenant': string }>();
    handler('getNote', async (context) => {
      expectTypeOf(context.params.noteId).toEqualTypeOf<number>();
      // @ts-expect-error getNote declares no parameter `nope`
      context.params.nope;
      // @ts-expect-error getNote declares no query parameters
      context.query.nope;
      return respond(404, { status: 404, title: 'no such note' });
    });
    handler('listNotes', async (context) => {
      expectTypeOf(context.query.limit).toEqualTypeOf<number>();
      // @ts-expect-error listNotes declares `limit` and `tag`, not `page`
      context.query.page;
      // @ts-expect-error only the declared header parameter is typed
      context.headers.authorization;
      return [];
    });
  });

  it('types the body as a request carries it: no readOnly properties, writeOnly ones present', () => {
    handler('createNote', async (context) => {
      expectTypeOf(context.body).toEqualTypeOf<{
        title: string;
        body?: string | null;
        secret: string;
        pinned: boolean;
      }>();
      // @ts-expect-error id is readOnly: a request never carries it
      context.body.id;
      return respond(201, { id: 1, created_at: '2026-01-01T00:00:00Z', ...context.body });
    });
    handler('updateNote', async (context) => {
      // Optional body, either declared content type.
      expectTypeOf(context.body).toEqualTypeOf<
        { title?: string; body?: string | null } | undefined
      >();
      return { id: 1, title: 't', pinned: false, created_at: '' };
    });
  });

  it('rejects a returned body of the wrong shape', () => {
    // @ts-expect-error getNote answers a Note: a title is a string
    handler('getNote', async () => ({ id: 1, title: 2, pinned: false, created_at: '' }));
    // @ts-expect-error a Note has a title
    handler('getNote', async () => ({ id: 1, pinned: false, created_at: '' }));
    handler('getNote', async () => {
      // A row that still holds the writeOnly secret is fine: the serializer drops it.
      const note: Note & { secret: string } = {
        id: 1,
        title: 't',
        pinned: true,
        created_at: '',
        secret: 's',
      };
      return note;
    });
  });

  it('rejects an undeclared status, and a body that is not that status', () => {
    // @ts-expect-error getNote declares 200 and 404, not 418
    handler('getNote', async () => respond(418, { status: 418, title: 'teapot' }));
    // @ts-expect-error 404's body is a Problem
    handler('getNote', async () => respond(404, { message: 'not found' }));
    const note = { id: 1, title: 't', pinned: false, created_at: '' };
    // @ts-expect-error 201 is createNote's, not getNote's
    handler('getNote', async () => respond(201, note));
    handler('getNote', async () => respond(200, note));
    handler('createNote', async () => respond(409, { status: 409, title: 'taken' }));
    // `default` stands for any other status, with its body.
    handler('updateNote', async () => respond(422, { status: 422, title: 'bad' }));
    // @ts-expect-error the default response is a Problem
    handler('updateNote', async () => respond(422, { reason: 'bad' }));
    // 204 has no content: no body, and a plain return of nothing.
    handler('deleteNote', async () => respond(204));
    handler('deleteNote', async () => {});
    // @ts-expect-error 204 carries no body
    handler('deleteNote', async () => respond(204, { gone: true }));
  });

  it('types repository rows and inserts from the x-tablename schema', () => {
    expectTypeOf<Row<'Note'>>().toEqualTypeOf<{
      id: number;
      title: string;
      body: string | null;
      secret: string;
      pinned: boolean;
      created_at: string;
    }>();
    expectTypeOf<Tables['Note']['insert']>().toEqualTypeOf<{
      title: string;
      secret: string;
      id?: number;
      body?: string | null;
      pinned?: boolean;
      created_at?: string;
    }>();
    handler('getNote', async (context: Context<'getNote'>) => {
      const notes = context.db.repository('Note');
      const note = await notes.findByKey(context.params.noteId);
      if (!note) return respond(404, { status: 404, title: 'no such note' });
      expectTypeOf(note.title).toEqualTypeOf<string>();
      // @ts-expect-error a Note row has no `author` column
      note.author;
      // @ts-expect-error `title` is a string column
      await notes.insert({ title: 1, secret: 's' });
      // @ts-expect-error an insert needs the required columns (secret)
      await notes.insert({ title: 't' });
      await notes.update(note.id, { pinned: true });
      // @ts-expect-error only the fixture's x-tablename schemas have repositories
      context.db.repository('Problem');
      return note;
    });
  });
});
