// The hand-written movies servers' route schemas, copied from the movies example's openapi.yaml:
// its Movie, SimilarMovieItem and RecommendedMovie answers and its Error body, for every 4xx.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const error = {
  type: 'object',
  required: ['status', 'code', 'message'],
  properties: {
    status: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

const movie = {
  type: 'object',
  required: ['id', 'title', 'created_at'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string', minLength: 1, maxLength: 300 },
    description: { type: ['string', 'null'], maxLength: 5000 },
    release_year: { type: ['integer', 'null'], minimum: 1870, maximum: 2100 },
    genres: {
      type: 'array',
      maxItems: 20,
      items: { type: 'string', minLength: 1, maxLength: 40 },
      default: [],
    },
    created_at: { type: 'string', format: 'date-time' },
    rating_summary: {
      type: 'object',
      required: ['count', 'mean'],
      properties: { count: { type: 'integer' }, mean: { type: ['number', 'null'] } },
    },
  },
  additionalProperties: false,
} as const;

const movieSummary = {
  type: 'object',
  required: ['id', 'title', 'release_year', 'genres'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    release_year: { type: ['integer', 'null'] },
    genres: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** The most a search page holds (the spec's `limit` maximum). */
export const MAX_SEARCH_LIMIT = 100;
/** The most a list of recommendations or neighbours holds. */
export const MAX_LIST_LIMIT = 50;

// The baseline serves GET /api/movies as a search only: `q` is what it measures.
export const searchSchema = {
  querystring: {
    type: 'object',
    required: ['q'],
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
      cursor: { type: 'string' },
      q: { type: 'string', maxLength: 200 },
    },
  },
  response: { 200: { type: 'array', items: movie }, '4xx': error },
} as const;

const byId = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
  querystring: {
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: 10 } },
  },
} as const;

export const similarSchema = {
  ...byId,
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['movie', 'score'],
        properties: { movie: movieSummary, score: { type: 'number' } },
      },
    },
    '4xx': error,
  },
} as const;

export const recommendationsSchema = {
  ...byId,
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['movie', 'score', 'reason', 'because'],
        properties: {
          movie: movieSummary,
          score: { type: 'number' },
          reason: { type: 'string' },
          because: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['id', 'title', 'rating'],
                properties: {
                  id: { type: 'integer' },
                  title: { type: 'string' },
                  rating: { type: 'number' },
                },
              },
            ],
          },
        },
      },
    },
    '4xx': error,
  },
} as const;

export const fail = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ status, code, message });

/** The spec's Error body for every 4xx, naming the field like `query.limit: …`. */
export function errorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.validation) {
    const [first] = err.validation;
    const field = `${err.validationContext}${(first?.instancePath ?? '').replaceAll('/', '.')}`;
    return fail(reply, 400, 'VALIDATION', `${field}: ${first?.message}`);
  }
  const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
  return fail(reply, status, 'ERROR', err.message);
}
