// Builds an app's auth once at startup from its spec and config: the schemes' authenticators, a
// compiled check per operation, the token issuer handlers use, and the log redaction.

import path from 'node:path';
import type { Config } from '../config.ts';
import { SPEC_INVALID } from '../errors.ts';
import type { Operation } from '../http/operations.ts';
import { escapeToken } from '../spec/json-pointer.ts';
import type { SecurityRequirementObject, SecuritySchemeObject } from '../spec/openapi-types.ts';
import { resolveAuthSettings } from './auth-settings.ts';
import { createJwtVerifier } from './jwt-verifier.ts';
import { type LogRedaction, logRedaction } from './log-redaction.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { AuthHelpers } from './principal.ts';
import { compileSecurity, type SecurityCheck } from './security-requirements.ts';
import {
  bearerScheme,
  compileScheme,
  type SchemeAuthenticator,
  takesBearerJwt,
} from './security-schemes.ts';
import { createTokenIssuer } from './token-issuer.ts';

export interface AuthDocument {
  info?: { title?: string };
  security?: SecurityRequirementObject[];
  components?: { securitySchemes?: Record<string, SecuritySchemeObject> };
}

export interface Auth {
  helpers: AuthHelpers;
  /** The operation's compiled check; undefined when the operation is public. */
  securityFor(operation: Operation): SecurityCheck | undefined;
  /** Things a developer should know, for the startup log. */
  warnings: string[];
  /** The app's bearer tokens, for framework pages outside the spec (the jobs dashboard's API). */
  bearer: SchemeAuthenticator;
  logging: LogRedaction;
}

export function createAuth(document: AuthDocument, specFile: string, config: Config): Auth {
  const fileName = path.basename(specFile);
  const declared = document.components?.securitySchemes ?? {};
  const schemeList = Object.values(declared);
  const { settings, warnings } = resolveAuthSettings(config, {
    jwt: schemeList.some(takesBearerJwt),
    apiKey: schemeList.some((scheme) => scheme.type === 'apiKey'),
  });
  const verifyJwt = createJwtVerifier(settings);
  const deps = {
    realm: document.info?.title || 'api',
    verifyJwt,
    apiKeys: settings.apiKeys,
  };
  const schemes = new Map<string, SchemeAuthenticator | Error>(
    Object.entries(declared).map(([name, scheme]) => [
      name,
      compileScheme(
        name,
        scheme,
        `${fileName}#/components/securitySchemes/${escapeToken(name)}`,
        deps,
      ),
    ]),
  );
  const lookup = (name: string, pointer: string) => {
    const scheme = schemes.get(name);
    if (scheme === undefined) {
      throw SPEC_INVALID(
        `${pointer}: no security scheme "${name}" in components.securitySchemes (declared: ${[...schemes.keys()].join(', ') || 'none'})`,
        { pointer },
      );
    }
    if (scheme instanceof Error) throw scheme;
    return scheme;
  };

  return {
    helpers: {
      issueToken: createTokenIssuer(settings),
      hashPassword,
      verifyPassword,
    },
    securityFor(operation) {
      const own = (operation.operation as { security?: SecurityRequirementObject[] }).security;
      return own !== undefined
        ? compileSecurity(own, `${operation.pointer}/security`, lookup)
        : compileSecurity(document.security, `${fileName}#/security`, lookup);
    },
    warnings,
    bearer: bearerScheme('bearer', deps),
    logging: logRedaction(declared),
  };
}
