// What the hand-written petstores share: the route schemas copied from the petstore's
// openapi.yaml, the error body its Error schema declares, and the list's next-page link.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const pet = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string', maxLength: 100 },
    tag: { type: 'string', maxLength: 100 },
  },
  additionalProperties: false,
} as const;

const error = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: { type: 'string' } },
} as const;

export const showPetSchema = {
  params: {
    type: 'object',
    required: ['petId'],
    properties: { petId: { type: 'integer', minimum: 1 } },
  },
  response: { 200: pet, '4xx': error },
} as const;

export const listPetsSchema = {
  querystring: {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      cursor: { type: 'string' },
    },
  },
  response: { 200: { type: 'array', maxItems: 100, items: pet }, '4xx': error },
} as const;

export const createPetSchema = {
  body: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      tag: { type: 'string', maxLength: 100 },
    },
    additionalProperties: false,
  },
  response: { 201: pet, '4xx': error },
} as const;

/** The spec's `additionalProperties: false` rejects, where Fastify's default ajv strips. */
export const ajvOptions = { customOptions: { removeAdditional: false } } as const;

export interface Pet {
  id: number;
  name: string;
  tag: string | null;
}

/** The spec's Error body for every 4xx, naming the field like `body.name: …`. */
export function errorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.validation) {
    const [first] = err.validation;
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = `${err.validationContext}${(first?.instancePath ?? '').replaceAll('/', '.')}${missing ? `.${missing}` : ''}`;
    return reply.code(400).send({ code: 400, message: `${field}: ${first?.message}` });
  }
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
  return reply.code(status).send({ code: status, message: err.message });
}

export const notFound = (reply: FastifyReply, id: number) =>
  reply.code(404).send({ code: 404, message: `Pet ${id} not found` });

/** Keyset paging as the spec's x-next header describes: the link to the page after `last`. */
export function nextLink(limit: number, last: Pet): string {
  const cursor = Buffer.from(JSON.stringify({ s: 'id:asc', v: [last.id] })).toString('base64url');
  return `/api/pets?limit=${limit}&cursor=${cursor}`;
}

/** The id after which a page starts: 0 without a cursor, undefined for a cursor not ours. */
export function cursorId(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  try {
    const id = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).v?.[0];
    return Number.isSafeInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export const DEFAULT_LIMIT = 20;
