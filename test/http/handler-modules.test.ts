// A handler typed with handler('someOperation', …) serves that operation only: exported under
// another operationId (or named by another x-handler), the server refuses to start.

import { describe, expect, it } from 'vitest';
import { findHandler, type HandlerModules } from '../../src/http/handler-modules.ts';
import { defineHandler } from '../../src/http/handler-types.ts';
import { listOperations } from '../../src/http/operations.ts';

const document = {
  paths: {
    '/notes': {
      get: { operationId: 'listNotes', responses: {} },
      post: { operationId: 'createNote', 'x-handler': 'notes#addNote', responses: {} },
    },
  },
};
const [listNotes, createNote] = listOperations(document, '/app/openapi.yaml');

describe('handlers typed by operationId', () => {
  it('serves the operation a handler was typed for', () => {
    const listed = defineHandler('listNotes', async () => []);
    const modules: HandlerModules = new Map([['notes', { listNotes: listed }]]);
    expect(findHandler(modules, listNotes!)?.handler).toBe(listed);
  });

  it('refuses an export named for one operation but typed for another', () => {
    const modules: HandlerModules = new Map([
      ['notes', { listNotes: defineHandler('getNote', async () => ({})) }],
    ]);
    expect(() => findHandler(modules, listNotes!)).toThrow(
      expect.objectContaining({
        code: 'SPECSTACK_ERR_HANDLER_MISMATCH',
        message:
          "openapi.yaml#/paths/~1notes/get: handlers/notes#listNotes is handler('getNote', …), typed for another operation than listNotes",
      }),
    );
  });

  it('refuses an x-handler export typed for another operation', () => {
    const modules: HandlerModules = new Map([
      ['notes', { addNote: defineHandler('listNotes', async () => []) }],
    ]);
    expect(() => findHandler(modules, createNote!)).toThrow(
      /SPECSTACK_ERR_HANDLER_MISMATCH|typed for another operation than createNote/,
    );
  });
});
