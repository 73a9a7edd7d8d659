// Signs test tokens the way clients and attackers would: any algorithm, key, claims and times.

import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'secure-api';

const now = () => Math.floor(Date.now() / 1000);

export interface SignOptions {
  alg?: string;
  key?: Parameters<SignJWT['sign']>[0];
  kid?: string;
  /** Seconds from now; null leaves exp out. */
  expiresIn?: number | null;
  notBefore?: number;
  issuer?: string | null;
  audience?: string | null;
}

export function sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({
      alg: options.alg ?? 'HS256',
      ...(options.kid ? { kid: options.kid } : {}),
    })
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(now() + (options.expiresIn ?? 600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now() + options.notBefore);
  const issuer = options.issuer === undefined ? ISSUER : options.issuer;
  const audience = options.audience === undefined ? AUDIENCE : options.audience;
  if (issuer !== null) jwt.setIssuer(issuer);
  if (audience !== null) jwt.setAudience(audience);
  return jwt.sign(options.key ?? new TextEncoder().encode(SECRET));
}

export function unsigned(claims: JWTPayload): string {
  return new UnsecuredJWT(claims)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(now() + 600)
    .encode();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
