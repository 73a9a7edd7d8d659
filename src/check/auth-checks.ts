// The checks of an operation's security: no credentials must get 401, and a token without the
// scopes the operation requires must get 403. That token is the run's own, re-signed with fewer
// scopes, which needs the server's HS256 secret (known in-process, given with --jwt-secret).

import { decodeJwt, SignJWT } from 'jose';
import type { SecuritySchemeObject } from '../spec/index.ts';
import { takesToken, withCredentials } from './credentials.ts';
import type { CheckOperation } from './discover-operations.ts';
import { buildRequest, positiveValues } from './request-builder.ts';
import { checkResponse } from './response-checks.ts';
import { type Run, record, sampleOne, seedFor, send, skip } from './run-context.ts';

/** Scopes the operation's token-based requirements all ask for; [] when none asks for any. */
export function requiredScopes(
  operation: CheckOperation,
  schemes: Record<string, SecuritySchemeObject>,
): string[] {
  const lists = operation.security.flatMap((requirement) =>
    Object.entries(requirement)
      .filter(([name]) => takesToken(schemes[name]))
      .map(([, scopes]) => scopes),
  );
  if (lists.length === 0 || lists.some((scopes) => scopes.length === 0)) return [];
  return lists[0]!;
}

function scopesOf(claims: Record<string, unknown>): string[] {
  const words = (value: unknown) =>
    Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value.split(/\s+/).filter(Boolean)
        : [];
  return [...new Set([...words(claims.scope), ...words(claims.scp)])];
}

/**
 * The same token re-signed without the scopes the operation needs, or why that cannot be done:
 * it needs the server's HS256 secret, and a token that holds the scopes to begin with.
 */
export async function lesserScopeToken(
  token: string | undefined,
  secret: string | undefined,
  needed: string[],
): Promise<{ token: string } | { reason: string }> {
  if (!token) return { reason: 'no token to start from (give --token or --login)' };
  if (!secret)
    return { reason: "the server's JWT secret is unknown (give --jwt-secret in --url mode)" };
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { reason: 'the token is not a JWT' };
  }
  const granted = scopesOf(claims);
  if (!needed.every((scope) => granted.includes(scope))) {
    return { reason: `the token lacks scope ${needed.join(', ')} already` };
  }
  const { scp: _scp, ...rest } = claims;
  const payload = { ...rest, scope: granted.filter((scope) => !needed.includes(scope)).join(' ') };
  const lesser = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
  return { token: lesser };
}

export async function checkAuth(run: Run, operation: CheckOperation) {
  const values = sampleOne(positiveValues(operation, run.validators), seedFor(run, operation, 7));
  const request = buildRequest(operation, values);
  const response = await send(run, operation, request);
  if (response.status !== 401) {
    record(
      run,
      operation,
      {
        check: 'auth-required',
        message: `answered ${response.status} without credentials; expected 401`,
      },
      [request],
      response,
    );
  }
  for (const finding of checkResponse(operation, 'auth', response, run.validators))
    record(run, operation, finding, [request], response);
  const needed = requiredScopes(operation, run.schemes);
  if (needed.length === 0) return;
  const lesser = await lesserScopeToken(run.credentials.token, run.jwtSecret, needed);
  if ('reason' in lesser) {
    skip(run, operation, `403 check skipped: ${lesser.reason}`);
    run.notes.add(
      `the 403 (too few scopes) check was skipped where a lesser-scope token was needed: ${lesser.reason}`,
    );
    return;
  }
  const scoped = withCredentials(request, operation, run.schemes, run.credentials, lesser.token);
  const answer = await send(run, operation, scoped);
  if (answer.status !== 403) {
    record(
      run,
      operation,
      {
        check: 'scope-required',
        message: `answered ${answer.status} to a token without scope ${needed.join(', ')}; expected 403`,
      },
      [scoped],
      answer,
    );
  }
}
