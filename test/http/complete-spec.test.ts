// The spec served at /openapi.json: valid OpenAPI, with links from each auto-CRUD create to its
// item operations that the contract tester's stateful planner follows, and the error answers
// auto-CRUD gives that the written spec leaves out.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverOperations } from '../../src/check/discover-operations.ts';
import { findResources } from '../../src/check/stateful.ts';
import type { OpenAPIDocument } from '../../src/spec/index.ts';
import { openApiValidator } from '../../src/spec/openapi-validators.ts';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';

const APP = path.resolve(import.meta.dirname, '../fixtures/apps/conditional');

describe('the served spec', () => {
  let server: RunningApp;
  // biome-ignore lint/suspicious/noExplicitAny: the document is read freely.
  let served: any;

  beforeAll(async () => {
    server = await startFixtureApp(APP, 'sqlite::memory:');
    served = (await request(server.url, 'GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is valid OpenAPI 3.1', async () => {
    const validate = await openApiValidator('3.1');
    expect(validate(served), JSON.stringify(validate.errors)).toBe(true);
  });

  it('links each create to the read, update and delete of what it created', () => {
    expect(served.paths['/notes'].post.responses['201'].links).toEqual({
      read: { operationId: 'getNote', parameters: { id: '$response.body#/id' } },
      update: { operationId: 'updateNote', parameters: { id: '$response.body#/id' } },
      delete: { operationId: 'deleteNote', parameters: { id: '$response.body#/id' } },
    });
  });

  it('declares the 404 and 412 auto-CRUD answers the written spec leaves out', () => {
    const patch = served.paths['/notes/{id}'].patch.responses;
    expect(Object.keys(patch)).toEqual(expect.arrayContaining(['200', '404', '412']));
    expect(patch['412'].content['application/problem+json'].schema.properties.code).toBeDefined();
    expect(Object.keys(served.paths['/notes/{id}'].get.responses)).toContain('404');
  });

  it('gives the stateful planner its resource from the links alone', () => {
    // The item parameter is renamed so that its name cannot say where its value is…
    const renamed = structuredClone(served);
    const item = renamed.paths['/notes/{id}'];
    delete renamed.paths['/notes/{id}'];
    for (const operation of ['get', 'patch', 'delete']) {
      item[operation].parameters = [
        { name: 'ref', in: 'path', required: true, schema: { type: 'integer' } },
      ];
    }
    delete item.parameters;
    renamed.paths['/notes/{ref}'] = item;
    const links = renamed.paths['/notes'].post.responses['201'].links;
    for (const link of Object.values(links) as { parameters: Record<string, string> }[]) {
      link.parameters = { ref: link.parameters.id! };
    }
    // Nor can the created body's schema: it no longer names `id`.
    delete renamed.components.schemas.Note.properties.id;
    const notesOf = (document: unknown) =>
      findResources(discoverOperations(document as OpenAPIDocument, 'served.json')).find(
        (resource) => resource.create.fullPath.endsWith('/notes'),
      );
    const notes = notesOf(renamed);
    expect(notes).toMatchObject({ parameter: 'ref', pointer: '/id' });
    delete renamed.paths['/notes'].post.responses['201'].links;
    expect(notesOf(renamed)).toBeUndefined();
    expect(notes?.update?.method).toBe('PATCH');
    expect(notes?.remove?.method).toBe('DELETE');
  });
});
