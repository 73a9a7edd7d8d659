// An operation's security requirements (its own, else the document's) compiled once into one
// check. OpenAPI semantics: any listed requirement may be met; within one, every scheme must be
// met with its scopes; `[]` makes the operation public; `{}` in the list makes auth optional.

import type { FastifyRequest } from 'fastify';
import { SPEC_INVALID } from '../errors.ts';
import { escapeToken } from '../spec/json-pointer.ts';
import type { SecurityRequirementObject } from '../spec/openapi-types.ts';
import type { Principal } from './principal.ts';
import type { Credential, SchemeAuthenticator } from './security-schemes.ts';

interface SchemeNeed {
  scheme: SchemeAuthenticator;
  scopes: string[];
}

/** One requirement object; an empty one is met by anybody. */
type Requirement = SchemeNeed[];

export type SecurityOutcome =
  | { ok: true; principal?: Principal }
  | { ok: false; status: 401 | 403; message: string; challenges: string[] };

export type SecurityCheck = (request: FastifyRequest) => Promise<SecurityOutcome>;

export type SchemeLookup = (name: string, pointer: string) => SchemeAuthenticator;

function missingScopes(need: SchemeNeed, principal: Principal): string[] {
  return need.scopes.filter((scope) => !principal.scopes.includes(scope));
}

function scopeMessage(scopes: string[]): string {
  return scopes.length === 1
    ? `scope ${scopes[0]} required`
    : `scopes ${scopes.join(', ')} required`;
}

function wantedMessage(requirements: Requirement[]): string {
  const ways = requirements
    .filter((requirement) => requirement.length > 0)
    .map((requirement) => requirement.map((need) => need.scheme.wanted).join(' and '));
  return `authentication required: send ${[...new Set(ways)].join(', or ')}`;
}

/** What the requirements conclude from the credentials of every scheme they name. */
function decide(
  requirements: Requirement[],
  schemes: SchemeAuthenticator[],
  credentials: Map<string, Credential>,
): SecurityOutcome {
  const credential = (scheme: SchemeAuthenticator) => credentials.get(scheme.name)!;
  const principalOf = (scheme: SchemeAuthenticator) => {
    const found = credential(scheme);
    return found.kind === 'valid' ? found.principal : undefined;
  };
  const invalid = schemes.filter((scheme) => credential(scheme).kind === 'invalid');
  let insufficient: { need: SchemeNeed; scopes: string[] } | undefined;
  for (const requirement of requirements) {
    if (requirement.length === 0) continue;
    if (!requirement.every((need) => principalOf(need.scheme))) continue;
    const short = requirement
      .map((need) => ({ need, scopes: missingScopes(need, principalOf(need.scheme)!) }))
      .find((entry) => entry.scopes.length > 0);
    // A combination acts as its first scheme's principal, in the order the spec lists them.
    if (!short) return { ok: true, principal: principalOf(requirement[0]!.scheme) };
    insufficient ??= short;
  }
  // A credential that was sent but is bad is refused even where auth is optional: the client
  // believes it is signed in, and silently treating it as anonymous would hide the fault.
  if (invalid.length > 0) {
    const reasons = invalid.map((scheme) => {
      const found = credential(scheme);
      return found.kind === 'invalid' ? found.reason : '';
    });
    return {
      ok: false,
      status: 401,
      message: reasons[0]!,
      challenges: schemes.map((scheme) => {
        const index = invalid.indexOf(scheme);
        return index < 0
          ? scheme.challenge()
          : scheme.challenge({ error: 'invalid_token', reason: reasons[index]! });
      }),
    };
  }
  if (requirements.some((requirement) => requirement.length === 0)) {
    const signedIn = schemes.map(principalOf).find((principal) => principal !== undefined);
    return signedIn ? { ok: true, principal: signedIn } : { ok: true };
  }
  if (insufficient) {
    const message = scopeMessage(insufficient.scopes);
    const { scheme } = insufficient.need;
    return {
      ok: false,
      status: 403,
      message,
      challenges: scheme.bearer
        ? [
            scheme.challenge({
              error: 'insufficient_scope',
              reason: message,
              scopes: insufficient.need.scopes,
            }),
          ]
        : [],
    };
  }
  return {
    ok: false,
    status: 401,
    message: wantedMessage(requirements),
    challenges: schemes.map((scheme) => scheme.challenge()),
  };
}

/**
 * The check for one operation, or undefined when it is public. `pointer` locates the security
 * list in use (the operation's, or the document's) for errors about it.
 */
export function compileSecurity(
  security: SecurityRequirementObject[] | undefined,
  pointer: string,
  lookup: SchemeLookup,
): SecurityCheck | undefined {
  if (security === undefined || security.length === 0) return undefined;
  const requirements: Requirement[] = security.map((requirement, index) => {
    if (typeof requirement !== 'object' || requirement === null || Array.isArray(requirement)) {
      throw SPEC_INVALID(`${pointer}/${index}: a security requirement must be an object`, {
        pointer: `${pointer}/${index}`,
      });
    }
    return Object.entries(requirement).map(([name, scopes]) => ({
      scheme: lookup(name, `${pointer}/${index}/${escapeToken(name)}`),
      scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    }));
  });
  const schemes = [...new Set(requirements.flat().map((need) => need.scheme))];
  if (schemes.length === 0) return undefined;
  return async (request) => {
    const results = await Promise.all(schemes.map((scheme) => scheme.authenticate(request)));
    const credentials = new Map(schemes.map((scheme, i) => [scheme.name, results[i]!]));
    return decide(requirements, schemes, credentials);
  };
}
