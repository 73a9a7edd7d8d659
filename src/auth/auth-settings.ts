// Turns the auth settings of the config into what verification needs, once at startup: the
// secret (a random one in development), the JWKS URL, the accepted algorithms and the API keys.

import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { AUTH_CONFIG } from '../errors.ts';
import { type ApiKeyStore, parseApiKeys } from './api-keys.ts';

/** Asymmetric algorithms a JWKS may be trusted for: never HS* (the key is public) nor none. */
const JWKS_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
/** Below 32 bytes an HS256 secret is weaker than the algorithm (RFC 7518 section 3.2). */
const MIN_SECRET_BYTES = 32;

export interface AuthSettings {
  secret?: Uint8Array;
  jwksUrl?: URL;
  jwksAlgorithms: string[];
  issuer?: string;
  audience?: string;
  expiresIn: string;
  apiKeys: ApiKeyStore;
}

export interface SpecNeeds {
  /** The spec declares a scheme that takes bearer JWTs (http bearer, oauth2, openIdConnect). */
  jwt: boolean;
  /** The spec declares an apiKey scheme. */
  apiKey: boolean;
}

function jwksUrlOf(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw AUTH_CONFIG('JWT_JWKS_URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw AUTH_CONFIG('JWT_JWKS_URL must be an http(s) URL');
  }
  return url;
}

function jwksAlgorithmsOf(algorithms: readonly string[]): string[] {
  for (const alg of algorithms) {
    if (!JWKS_ALGORITHMS.has(alg)) {
      throw AUTH_CONFIG(
        `JWT_JWKS_ALGORITHMS: ${JSON.stringify(alg)} cannot be verified with a public key set; use ${[...JWKS_ALGORITHMS].join(', ')}`,
      );
    }
  }
  return [...algorithms];
}

export function resolveAuthSettings(
  config: Config,
  needs: SpecNeeds,
): { settings: AuthSettings; warnings: string[] } {
  const warnings: string[] = [];
  const production = config.environment === 'production';
  const jwksUrl = jwksUrlOf(config.jwtJwksUrl);
  let secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
  if (secret && secret.length < MIN_SECRET_BYTES) {
    warnings.push(
      `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: use a long random value (openssl rand -base64 48)`,
    );
  }
  if (!secret && needs.jwt && production && !jwksUrl) {
    throw AUTH_CONFIG(
      'JWT_SECRET is not set: the spec declares a bearer token scheme and NODE_ENV is production. Set JWT_SECRET to a long random value, or JWT_JWKS_URL to verify tokens from an identity provider',
    );
  }
  if (!secret && !production) {
    // Development only: a fresh secret per start, so login works with no setup at all.
    secret = randomBytes(MIN_SECRET_BYTES);
    if (needs.jwt) {
      warnings.push(
        'JWT_SECRET is not set: using a random secret for this run; tokens issued now stop working at the next restart',
      );
    }
  }
  const apiKeys = parseApiKeys(config.apiKeys);
  if (needs.apiKey && apiKeys.size === 0) {
    warnings.push('SPECSTACK_API_KEYS is empty: every API key is refused');
  }
  return {
    settings: {
      ...(secret ? { secret } : {}),
      ...(jwksUrl ? { jwksUrl } : {}),
      jwksAlgorithms: jwksAlgorithmsOf(config.jwtJwksAlgorithms),
      ...(config.jwtIssuer ? { issuer: config.jwtIssuer } : {}),
      ...(config.jwtAudience ? { audience: config.jwtAudience } : {}),
      expiresIn: config.jwtExpiresIn,
      apiKeys,
    },
    warnings,
  };
}
