// The five petstore requests measured on both servers, with the status each must answer.

import type { Route } from '../runner/suite.ts';

export const PETS = 1000;
/** Never an id: POSTs during a run add far fewer rows than this. */
const MISSING_ID = 1_000_000_000;

export const ROUTES: readonly Route[] = [
  {
    name: 'GET /api/pets/{id}',
    method: 'GET',
    // Any existing pet; parity asks both servers for the first, pet 1.
    paths: Array.from({ length: PETS }, (_, i) => `/api/pets/${i + 1}`),
    status: 200,
  },
  { name: 'GET /api/pets?limit=20', method: 'GET', paths: ['/api/pets?limit=20'], status: 200 },
  {
    name: 'POST /api/pets',
    method: 'POST',
    paths: ['/api/pets'],
    body: JSON.stringify({ name: 'Rex', tag: 'dog' }),
    status: 201,
  },
  {
    name: 'GET missing id (404)',
    method: 'GET',
    paths: [`/api/pets/${MISSING_ID}`],
    status: 404,
  },
  {
    name: 'POST without name (400)',
    method: 'POST',
    paths: ['/api/pets'],
    body: JSON.stringify({ tag: 'dog' }),
    status: 400,
  },
];
