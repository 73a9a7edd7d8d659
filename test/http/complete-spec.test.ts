// The spec served at /openapi.json: valid OpenAPI, with links from each auto-CRUD create to its
// item operations that the contract tester's stateful planner follows, and the error answers
// auto-CRUD gives that the written spec leaves out.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverOperations } from '../../src/check/discover-operations.ts';
import { findResources } from '../../src/check/stateful.ts';
import { completeSpec } from '../../src/http/complete-spec.ts';
import { listOperations } from '../../src/http/operations.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import type { OpenAPIDocument } from '../../src/spec/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { openApiValidator } from '../../src/spec/openapi-validators.ts';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';

const APP = path.resolve(import.meta.dirname, '../fixtures/apps/conditional');
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The served document of a spec file, completed as a server would complete it. */
// biome-ignore lint/suspicious/noExplicitAny: the document is read freely.
async function completed(file: string): Promise<any> {
  const spec = await loadSpec(file);
  const document = spec.document as unknown as Record<string, unknown>;
  return completeSpec(
    spec.bundled as unknown as Record<string, unknown>,
    listOperations(document, spec.file),
    deriveModel(spec.document, spec.file),
  );
}

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

  it('declares 406 and 415 where Accept and the body type are checked, 428 where If-Match is required', () => {
    const create = served.paths['/notes'].post.responses;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['406', '415']));
    const replace = served.paths['/ledgers/{id}'].put.responses;
    expect(replace['428'].content['application/problem+json']).toBeDefined();
    expect(served.paths['/notes/{id}'].delete.responses['415']).toBeUndefined();
    expect(served.paths['/notes/{id}'].delete.responses['406']).toBeUndefined();
  });

  it('declares 422 where an Idempotency-Key is honoured, and only there', () => {
    const create = served.paths['/notes'].post.responses;
    expect(create['422'].content['application/problem+json']).toBeDefined();
    expect(create['422'].description).toContain('Idempotency-Key');
    expect(served.paths['/ledgers'].post.responses['422']).toBeUndefined();
  });

  it('declares the conditional headers auto-CRUD honours: If-None-Match, ETag and 304 on reads, If-Match on writes', () => {
    const headerNames = (operation: { parameters?: { name: string; in: string }[] }) =>
      (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    const read = served.paths['/notes/{id}'].get;
    expect(headerNames(read)).toEqual(['If-None-Match']);
    expect(read.responses['200'].headers.ETag.schema).toEqual({ type: 'string' });
    expect(read.responses['304']).toBeDefined();
    expect(headerNames(served.paths['/notes/{id}'].patch)).toEqual(['If-Match']);
    expect(headerNames(served.paths['/notes/{id}'].delete)).toEqual(['If-Match']);
    // Declared by the spec already (and required): not added twice.
    expect(headerNames(served.paths['/ledgers/{id}'].put)).toEqual(['If-Match']);
    // The Idempotency-Key the spec declares is kept as written.
    expect(headerNames(served.paths['/notes'].post)).toEqual(['Idempotency-Key']);
  });
});

describe('the framework answers in the served spec', () => {
  it('adds 401/403 where security applies and 429 where x-rate-limit does, never over what the spec declares', async () => {
    const served = await completed(
      path.resolve(import.meta.dirname, '../fixtures/specs/framework-answers.yaml'),
    );
    const validate = await openApiValidator('3.0');
    expect(validate(served), JSON.stringify(validate.errors)).toBe(true);
    const login = served.paths['/login'].post.responses;
    expect(Object.keys(login).sort()).toEqual(['200', '406', '415', '429', '503']);
    const reports = served.paths['/reports'].get.responses;
    expect(reports['401']).toEqual({ description: 'declared by the spec itself' });
    expect(Object.keys(reports).sort()).toEqual(['200', '401', '403', '406', '503']);
    // The handler time limit's 503 says when to retry.
    expect(login['503'].headers['Retry-After'].schema).toEqual({ type: 'integer' });
    expect(login['503'].content['application/problem+json']).toBeDefined();
    // A default covers every error; a wildcard answer type is never a 406.
    expect(Object.keys(served.paths['/anything'].get.responses).sort()).toEqual(['200', 'default']);
  });

  it.each(['movies', 'petstore'])(
    'keeps the %s example valid OpenAPI once completed',
    async (name) => {
      const served = await completed(path.join(ROOT, 'examples', name, 'openapi.yaml'));
      const validate = await openApiValidator(served.openapi.startsWith('3.1') ? '3.1' : '3.0');
      expect(validate(served), JSON.stringify(validate.errors)).toBe(true);
    },
  );
});
