// The three movies requests measured on both servers: a search, a movie's neighbours and a
// user's stored recommendations, each drawn at random from what the databases hold.

import type { Route } from '../runner/suite.ts';
import { ADMIN } from './catalogue.ts';
import type { StoredLists } from './movies-databases.ts';

/**
 * Common words and rare ones (made-up names of the catalogue's long tail, `kalolo` in two
 * titles), accented as typed or not (`emigre` finds émigré), a phrase and a prefix (`winter st`).
 * Each matches exactly: a word that matched nothing would make specstack retry with typo variants.
 */
export const SEARCH_WORDS = [
  'dark',
  'kingdom of the',
  'château',
  'emigre',
  'kalo',
  'kamé',
  'kalolo',
  'winter st',
];

/** The shared HS256 secret: specstack signs with it at login, the baseline verifies with it. */
export const JWT_SECRET = 'specstack-bench-secret-of-at-least-32-bytes';

/** A bearer token from the app's own POST /api/login, as the admin (who may read any user's list). */
export async function logIn(specstackUrl: string): Promise<string> {
  const response = await fetch(`${specstackUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`login answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

export function moviesRoutes(lists: StoredLists, token: string): Route[] {
  return [
    {
      name: 'GET /api/movies?q=…&limit=20',
      method: 'GET',
      paths: SEARCH_WORDS.map((words) => `/api/movies?q=${encodeURIComponent(words)}&limit=20`),
      status: 200,
    },
    {
      name: 'GET /api/movies/{id}/similar',
      method: 'GET',
      paths: lists.similarIds.map((id) => `/api/movies/${id}/similar?limit=10`),
      status: 200,
    },
    {
      name: 'GET /api/users/{id}/recommendations',
      method: 'GET',
      paths: lists.userIds.map((id) => `/api/users/${id}/recommendations?limit=10`),
      headers: { authorization: `Bearer ${token}` },
      status: 200,
    },
  ];
}
