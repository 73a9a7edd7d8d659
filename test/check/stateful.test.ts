// Which operations make a resource's create → read → update → delete sequence: the spec's links
// when it has them (written, or added by the spec the app serves), else the auto-CRUD path shape;
// and how a read-back is compared.

import path from 'node:path';
import { expect, it } from 'vitest';
import { discoverOperations } from '../../src/check/discover-operations.ts';
import { servedLinks } from '../../src/check/served-links.ts';
import { differences, findResources } from '../../src/check/stateful.ts';
import { httpTransport } from '../../src/check/transport.ts';
import type { OpenAPIDocument } from '../../src/spec/index.ts';
import { startFixtureApp } from '../support/app-server.ts';

const CONDITIONAL = path.resolve(import.meta.dirname, '../fixtures/apps/conditional');

const thing = {
  type: 'object',
  properties: {
    uid: { type: 'string', readOnly: true },
    name: { type: 'string' },
    secret: { type: 'string', writeOnly: true },
    seen: { type: 'string', format: 'date-time' },
  },
};
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

function document(links?: Record<string, unknown>): OpenAPIDocument {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    servers: [{ url: '/api' }],
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: json(thing),
          responses: {
            '201': { description: 'created', ...json(thing), ...(links ? { links } : {}) },
          },
        },
      },
      '/things/{key}': {
        get: {
          operationId: 'readThing',
          responses: { '200': { description: 'ok', ...json(thing) } },
        },
        patch: {
          operationId: 'patchThing',
          requestBody: json(thing),
          responses: { '200': { description: 'ok' } },
        },
        delete: { operationId: 'dropThing', responses: { '204': { description: 'gone' } } },
      },
    },
  } as unknown as OpenAPIDocument;
}

it('takes the item operation and the id from the create response links', () => {
  const links = { read: { operationId: 'readThing', parameters: { key: '$response.body#/uid' } } };
  const [resource] = findResources(discoverOperations(document(links), 'openapi.yaml'));
  expect(resource?.read.name).toBe('readThing');
  expect(resource?.update?.name).toBe('patchThing');
  expect(resource?.remove?.name).toBe('dropThing');
  expect([resource?.parameter, resource?.pointer]).toEqual(['key', '/uid']);
});

it('without links, finds nothing when the created body carries neither the parameter nor an id', () => {
  expect(findResources(discoverOperations(document(), 'openapi.yaml'))).toEqual([]);
});

it('compares the writable fields sent, date-times as instants, never writeOnly ones', () => {
  const sent = { name: 'a', secret: 'hunter2', seen: '2024-01-01T00:00:00Z' };
  expect(differences(sent, { name: 'a', seen: '2024-01-01T00:00:00.000Z' }, thing)).toEqual([]);
  expect(differences(sent, { name: 'b', seen: '2024-01-01T00:00:00Z' }, thing)).toEqual([
    'name: sent "a", read "b"',
  ]);
});

it('follows links the served spec adds, to item operations wherever their paths are', () => {
  const written = document();
  // The item operations live under another path: the path shape alone finds no resource.
  const paths = written.paths as Record<string, unknown>;
  paths['/items/{ref}'] = paths['/things/{key}'];
  delete paths['/things/{key}'];
  const operations = discoverOperations(written, 'openapi.yaml');
  expect(findResources(operations)).toEqual([]);
  const link = (operationId: string) => ({
    operationId,
    parameters: { ref: '$response.body#/uid' },
  });
  const served = new Map([
    [
      'POST /things',
      { '201': { read: link('readThing'), update: link('patchThing'), delete: link('dropThing') } },
    ],
  ]);
  const [resource] = findResources(operations, served);
  expect(resource?.read.fullPath).toBe('/api/items/{ref}');
  expect([resource?.update?.name, resource?.remove?.name]).toEqual(['patchThing', 'dropThing']);
  expect([resource?.parameter, resource?.pointer]).toEqual(['ref', '/uid']);
});

it('reads the links of the spec a running app serves', async () => {
  const server = await startFixtureApp(CONDITIONAL, 'sqlite::memory:');
  try {
    const links = await servedLinks(httpTransport(server.url));
    expect(links.get('POST /notes')?.['201']).toMatchObject({
      read: { operationId: 'getNote', parameters: { id: '$response.body#/id' } },
    });
  } finally {
    await server.close();
  }
});
