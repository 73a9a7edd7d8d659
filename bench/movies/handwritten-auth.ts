// Bearer tokens for the hand-written movies servers: HS256 JWTs verified with jose against
// JWT_SECRET (the secret specstack signs them with at login), with the claims specstack requires.

import { webcrypto } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type JWTPayload, jwtVerify } from 'jose';
import { fail } from './handwritten-schemas.ts';

// Imported once: given the raw bytes, jose would import the key again for every token.
const key = await webcrypto.subtle.importKey(
  'raw',
  new TextEncoder().encode(process.env.JWT_SECRET),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['verify'],
);
const CHECKS = { algorithms: ['HS256'], clockTolerance: 5, requiredClaims: ['exp', 'sub'] };

declare module 'fastify' {
  interface FastifyRequest {
    claims: JWTPayload | null;
  }
}

/** An onRequest hook: a valid bearer token's claims on the request, or 401. */
export async function authenticate(request: FastifyRequest, reply: FastifyReply) {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  if (token) {
    try {
      request.claims = (await jwtVerify(token, key, CHECKS)).payload;
      return;
    } catch {
      // Answered below, as a missing token is.
    }
  }
  return fail(reply, 401, 'UNAUTHORIZED', 'a valid bearer token is required');
}

/** The user themselves, or an admin (the `admin` scope), may read a user's list. */
export function mayReadUser(claims: JWTPayload | null, userId: number): boolean {
  const scopes = typeof claims?.scope === 'string' ? claims.scope.split(' ') : [];
  return claims?.sub === String(userId) || scopes.includes('admin');
}
