// Issues the app's own tokens (at login): HS256 with JWT_SECRET, `iss` and `aud` from the config,
// so that every token issued here passes the app's own verification.

import { SignJWT } from 'jose';
import { AUTH_CONFIG } from '../errors.ts';
import { HMAC_ALGORITHM, hmacKey } from './jwt-verifier.ts';
import type { AuthHelpers, IssueTokenClaims, IssueTokenOptions } from './principal.ts';

export interface TokenIssuerOptions {
  /** Undefined when the app only verifies tokens from a JWKS and has no secret to sign with. */
  secret?: Uint8Array;
  issuer?: string;
  audience?: string;
  expiresIn: string;
}

/** jose reads `15m`, `2 hours`, `7d`; a bare number of seconds is read here. */
function expiry(value: string | number, issuedAt: number): number | string {
  if (typeof value === 'number') return issuedAt + value;
  return /^\d+$/.test(value.trim()) ? issuedAt + Number(value) : value;
}

/** Throws at startup for a JWT_EXPIRES_IN jose cannot read, rather than at the first login. */
export function checkExpiresIn(value: string): void {
  try {
    new SignJWT({}).setExpirationTime(expiry(value, 0));
  } catch {
    throw AUTH_CONFIG(
      `JWT_EXPIRES_IN must be a duration like 15m, 1h, 7d or a number of seconds, got ${JSON.stringify(value)}`,
    );
  }
}

export function createTokenIssuer(options: TokenIssuerOptions): AuthHelpers['issueToken'] {
  checkExpiresIn(options.expiresIn);
  const signKey = options.secret ? hmacKey(options.secret, 'sign') : undefined;
  return async (claims: IssueTokenClaims, issueOptions: IssueTokenOptions = {}) => {
    if (!signKey) {
      throw AUTH_CONFIG('issueToken needs JWT_SECRET: this app only verifies tokens from a JWKS');
    }
    if (typeof claims?.sub !== 'string' || claims.sub === '') {
      throw new TypeError('issueToken: claims.sub must be a non-empty string');
    }
    const { scope, ...rest } = claims;
    const payload: Record<string, unknown> = { ...rest };
    if (scope !== undefined) payload.scope = Array.isArray(scope) ? scope.join(' ') : scope;
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = new SignJWT(payload)
      .setProtectedHeader({ alg: HMAC_ALGORITHM, typ: 'JWT' })
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiry(issueOptions.expiresIn ?? options.expiresIn, issuedAt));
    if (options.issuer) token.setIssuer(options.issuer);
    if (options.audience) token.setAudience(options.audience);
    return token.sign(await signKey());
  };
}
