// WWW-Authenticate challenges: RFC 6750 for bearer tokens (error="invalid_token" or
// "insufficient_scope"), and an ApiKey challenge that names where the key goes.

/** A quoted-string that a header can carry: quotes and backslashes escaped, control bytes dropped. */
function quoted(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '');
  return `"${printable.replace(/["\\]/g, '\\$&')}"`;
}

/** RFC 6750 error_description allows printable ASCII without `"` and `\`. */
function description(value: string): string {
  return quoted(value.replace(/["\\]/g, "'"));
}

export type BearerError =
  | { error: 'invalid_token'; reason: string }
  | { error: 'insufficient_scope'; reason: string; scopes: string[] };

export function bearerChallenge(realm: string, failure?: BearerError): string {
  const parts = [`realm=${quoted(realm)}`];
  if (failure) {
    parts.push(`error="${failure.error}"`, `error_description=${description(failure.reason)}`);
    if (failure.error === 'insufficient_scope')
      parts.push(`scope=${quoted(failure.scopes.join(' '))}`);
  }
  return `Bearer ${parts.join(', ')}`;
}

export function apiKeyChallenge(realm: string, location: string, name: string): string {
  return `ApiKey realm=${quoted(realm)}, in=${quoted(location)}, name=${quoted(name)}`;
}
