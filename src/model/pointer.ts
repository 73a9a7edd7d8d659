// JSON pointers into the spec file, the way every model error names where the fault is.

/** Escapes one reference token (RFC 6901): `~` -> `~0`, `/` -> `~1`. */
export function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `openapi.yaml#/components/schemas/Pet` (plus further tokens). */
export function schemaPointer(file: string, schemaName: string, ...tokens: string[]): string {
  return `${file}#/components/schemas/${[schemaName, ...tokens].map(escapeToken).join('/')}`;
}
