// The five requests measured on both servers, with the status each must answer.

export const PETS = 1000;
/** Never an id: POSTs during a run add far fewer rows than this. */
const MISSING_ID = 1_000_000_000;

export interface Route {
  name: string;
  method: 'GET' | 'POST';
  /** The path of each request (GET by id picks a random existing pet). */
  path: () => string;
  body?: string;
  status: number;
}

export const ROUTES: readonly Route[] = [
  {
    name: 'GET /api/pets/{id}',
    method: 'GET',
    path: () => `/api/pets/${1 + Math.floor(Math.random() * PETS)}`,
    status: 200,
  },
  { name: 'GET /api/pets?limit=20', method: 'GET', path: () => '/api/pets?limit=20', status: 200 },
  {
    name: 'POST /api/pets',
    method: 'POST',
    path: () => '/api/pets',
    body: JSON.stringify({ name: 'Rex', tag: 'dog' }),
    status: 201,
  },
  {
    name: 'GET missing id (404)',
    method: 'GET',
    path: () => `/api/pets/${MISSING_ID}`,
    status: 404,
  },
  {
    name: 'POST without name (400)',
    method: 'POST',
    path: () => '/api/pets',
    body: JSON.stringify({ tag: 'dog' }),
    status: 400,
  },
];

export function routeNamed(name: string): Route {
  const route = ROUTES.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return route;
}

export const headersOf = (route: Route): Record<string, string> =>
  route.body ? { 'content-type': 'application/json' } : {};
