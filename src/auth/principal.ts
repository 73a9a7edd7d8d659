// Who made a request, as every security scheme reports it, and the helpers handlers get to
// authenticate users themselves (issue tokens at login).

/** The authenticated caller of an operation. */
export interface Principal {
  /** The token's `sub`, or the API key's subject. */
  subject: string;
  /** Granted scopes: the token's `scope`/`scp` claim, or the API key's scopes. */
  scopes: string[];
  /** Name of the security scheme (components.securitySchemes key) that authenticated the caller. */
  scheme: string;
  /** The verified token's claims; empty for API keys. */
  claims: Record<string, unknown>;
}

export interface IssueTokenClaims {
  sub: string;
  /** Scopes as a space-separated string or a list; issued as the space-separated `scope` claim. */
  scope?: string | string[];
  [claim: string]: unknown;
}

export interface IssueTokenOptions {
  /** `15m`, `2h`, `7d`, or seconds; defaults to JWT_EXPIRES_IN (1h). */
  expiresIn?: string | number;
}

export interface AuthHelpers {
  /** Signs an HS256 token with JWT_SECRET, carrying JWT_ISSUER and JWT_AUDIENCE when they are set. */
  issueToken(claims: IssueTokenClaims, options?: IssueTokenOptions): Promise<string>;
  /** The same functions the package exports, here so handlers need no runtime import. */
  hashPassword(password: string): Promise<string>;
  verifyPassword(password: string, hash: string): Promise<boolean>;
}

function words(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Scopes from `scope` (RFC 8693: space-separated) or `scp` (a list, as some providers send it). */
export function scopesOf(claims: Record<string, unknown>): string[] {
  return [...new Set([...words(claims.scope), ...words(claims.scp)])];
}
