// One authenticator per declared security scheme, built once at startup: it reads the scheme's
// credential from a request and says whether it is absent, invalid (and why) or valid (and whose).

import type { FastifyRequest } from 'fastify';
import { SPEC_INVALID, SPEC_UNSUPPORTED } from '../errors.ts';
import type { SecuritySchemeObject } from '../spec/openapi-types.ts';
import type { ApiKeyStore } from './api-keys.ts';
import { apiKeyChallenge, type BearerError, bearerChallenge } from './challenges.ts';
import type { JwtVerifier } from './jwt-verifier.ts';
import { type Principal, scopesOf } from './principal.ts';

export type Credential =
  | { kind: 'absent' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'valid'; principal: Principal };

export interface SchemeAuthenticator {
  name: string;
  /** Bearer-token schemes answer failures with RFC 6750 challenges. */
  bearer: boolean;
  /** Where the credential goes, for the message of a 401: `a bearer token in the Authorization header`. */
  wanted: string;
  challenge(failure?: BearerError): string;
  authenticate(request: FastifyRequest): Promise<Credential>;
}

export interface SchemeDependencies {
  realm: string;
  verifyJwt: JwtVerifier;
  apiKeys: ApiKeyStore;
}

const ABSENT: Credential = { kind: 'absent' };

/** Schemes whose credential is a bearer JWT in the Authorization header. */
export function takesBearerJwt(scheme: SecuritySchemeObject): boolean {
  return (
    (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer') ||
    scheme.type === 'oauth2' ||
    scheme.type === 'openIdConnect'
  );
}

function bearerToken(request: FastifyRequest): string | Credential {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return ABSENT;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!match) {
    return { kind: 'invalid', reason: 'the Authorization header does not carry a Bearer token' };
  }
  return match[1]!;
}

export function bearerScheme(name: string, deps: SchemeDependencies): SchemeAuthenticator {
  return {
    name,
    bearer: true,
    wanted: 'a bearer token in the Authorization header',
    challenge: (failure) => bearerChallenge(deps.realm, failure),
    async authenticate(request) {
      const token = bearerToken(request);
      if (typeof token !== 'string') return token;
      const result = await deps.verifyJwt(token);
      if (!result.ok) return { kind: 'invalid', reason: result.reason };
      const claims = result.claims as Record<string, unknown>;
      return {
        kind: 'valid',
        principal: { subject: result.claims.sub, scopes: scopesOf(claims), scheme: name, claims },
      };
    },
  };
}

function apiKeyReader(location: 'header' | 'query' | 'cookie', keyName: string) {
  const header = keyName.toLowerCase();
  return (request: FastifyRequest): unknown => {
    if (location === 'header') return request.headers[header];
    if (location === 'query')
      return (request.query as Record<string, unknown> | undefined)?.[keyName];
    return request.cookies?.[keyName];
  };
}

function apiKeyScheme(
  name: string,
  location: 'header' | 'query' | 'cookie',
  keyName: string,
  deps: SchemeDependencies,
): SchemeAuthenticator {
  const read = apiKeyReader(location, keyName);
  return {
    name,
    bearer: false,
    wanted: `an API key in the ${keyName} ${location === 'query' ? 'query parameter' : location}`,
    challenge: () => apiKeyChallenge(deps.realm, location, keyName),
    async authenticate(request) {
      const value = read(request);
      if (value === undefined || value === '') return ABSENT;
      if (typeof value !== 'string')
        return { kind: 'invalid', reason: 'API key sent more than once' };
      const holder = deps.apiKeys.find(value);
      if (!holder) return { kind: 'invalid', reason: 'API key not recognised' };
      return {
        kind: 'valid',
        principal: { subject: holder.subject, scopes: holder.scopes, scheme: name, claims: {} },
      };
    },
  };
}

/**
 * The authenticator of one scheme, or the error to raise if an operation requires it. Unsupported
 * schemes only fail the start when an operation uses them.
 */
export function compileScheme(
  name: string,
  scheme: SecuritySchemeObject,
  pointer: string,
  deps: SchemeDependencies,
): SchemeAuthenticator | Error {
  if (takesBearerJwt(scheme)) return bearerScheme(name, deps);
  if (scheme.type === 'apiKey') {
    if (!scheme.name || !['header', 'query', 'cookie'].includes(scheme.in ?? '')) {
      return SPEC_INVALID(
        `${pointer}: an apiKey scheme needs a name and in: header, query or cookie`,
        {
          pointer,
        },
      );
    }
    return apiKeyScheme(name, scheme.in as 'header' | 'query' | 'cookie', scheme.name, deps);
  }
  const kind = scheme.type === 'http' ? `http ${scheme.scheme ?? ''}`.trim() : scheme.type;
  return SPEC_UNSUPPORTED(
    `${pointer}: security scheme type "${kind}" is not supported; use http bearer, apiKey, oauth2 or openIdConnect`,
    { pointer },
  );
}
