// Verifies bearer JWTs: HS256 with the app's secret, or the asymmetric algorithms of a JWKS. The
// token's header picks one of the two; each path accepts only its own pinned algorithms, so an
// HS256 token is never checked against a public key and `none` is never accepted.

import { webcrypto } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { SERVICE_UNAVAILABLE } from '../errors.ts';

export const HMAC_ALGORITHM = 'HS256';
/** Seconds of clock skew tolerated between this server and the token's issuer for exp and nbf. */
export const CLOCK_TOLERANCE = 5;
/** A token must say when it expires and whom it is about. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

export interface JwtVerifierOptions {
  secret?: Uint8Array;
  jwksUrl?: URL;
  jwksAlgorithms: readonly string[];
  issuer?: string;
  audience?: string;
}

export type JwtResult =
  | { ok: true; claims: JWTPayload & { sub: string } }
  | { ok: false; reason: string };

export type JwtVerifier = (token: string) => Promise<JwtResult>;

const CLAIM_REASONS: Record<string, string> = {
  nbf: 'token not yet valid',
  iss: 'token issuer not accepted',
  aud: 'token audience not accepted',
  exp: 'token expired',
};

/** Why jose refused a token, in words for the client: never the token itself. */
export function reasonOf(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token has no ${error.claim} claim`;
    return CLAIM_REASONS[error.claim] ?? `token claim ${error.claim} is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no known key matches the token';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'no known key matches the token';
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'token malformed';
  }
  return undefined;
}

/** The JWKS getter, with fetch failures told apart from bad tokens: they are the server's fault. */
function remoteKeys(url: URL): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(url);
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      throw SERVICE_UNAVAILABLE('the token signing keys (JWT_JWKS_URL) could not be fetched', {
        cause: error,
      });
    }
  };
}

/**
 * The secret as an HS256 key, imported on first use and kept: given the raw bytes, jose would
 * import them again for every token it signs or verifies.
 */
export function hmacKey(
  secret: Uint8Array,
  usage: 'sign' | 'verify',
): () => Promise<webcrypto.CryptoKey> {
  let key: Promise<webcrypto.CryptoKey> | undefined;
  return () => {
    key ??= webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      usage,
    ]);
    return key;
  };
}

function algorithmOf(token: string): string | undefined {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const claimChecks = {
    clockTolerance: CLOCK_TOLERANCE,
    requiredClaims: REQUIRED_CLAIMS,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
  const jwks = options.jwksUrl ? remoteKeys(options.jwksUrl) : undefined;
  const jwksAlgorithms = new Set(options.jwksAlgorithms);
  const verifyKey = options.secret ? hmacKey(options.secret, 'verify') : undefined;
  // Built once: jose reads them on every token.
  const hmacChecks = { ...claimChecks, algorithms: [HMAC_ALGORITHM] };
  const jwksChecks = { ...claimChecks, algorithms: [...jwksAlgorithms] };

  const verify = async (token: string, alg: string | undefined) => {
    if (verifyKey && (jwks === undefined || alg === HMAC_ALGORITHM)) {
      return jwtVerify(token, await verifyKey(), hmacChecks);
    }
    if (jwks && alg !== undefined && jwksAlgorithms.has(alg)) {
      return jwtVerify(token, jwks, jwksChecks);
    }
    return undefined;
  };

  const refused = (alg: string | undefined): JwtResult => {
    if (alg === undefined) return { ok: false, reason: 'token malformed' };
    // The header is the client's text: named back only when it looks like an algorithm name.
    const named = /^[A-Za-z0-9]{1,16}$/.test(alg) ? ` ${alg}` : '';
    return { ok: false, reason: `token algorithm${named} not accepted` };
  };

  return async (token) => {
    // With a secret alone there is one path, and jose reads the header itself: it is decoded
    // here only to choose between the secret and the JWKS, or to name a refused algorithm.
    const alg = jwks === undefined ? undefined : algorithmOf(token);
    if (jwks !== undefined && alg === undefined) return refused(undefined);
    let result: Awaited<ReturnType<typeof verify>>;
    try {
      result = await verify(token, alg);
    } catch (error) {
      if (error instanceof errors.JOSEAlgNotAllowed) return refused(algorithmOf(token));
      const reason = reasonOf(error);
      if (reason === undefined) throw error;
      return { ok: false, reason };
    }
    if (!result) return refused(alg ?? algorithmOf(token));
    const { payload } = result;
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      return { ok: false, reason: 'token subject is not a string' };
    }
    return { ok: true, claims: payload as JWTPayload & { sub: string } };
  };
}
