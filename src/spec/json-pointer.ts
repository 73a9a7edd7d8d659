// RFC 6901 JSON pointers: the address format of every spec error and of pointerOf().

export function escapeToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** `['paths', '/pets', 'get']` -> `/paths/~1pets/get`; the empty list is the whole document (``). */
export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => `/${escapeToken(token)}`).join('');
}

/** `/paths/~1pets/get` -> `['paths', '/pets', 'get']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '' ? [] : [''];
  return pointer.slice(1).split('/').map(unescapeToken);
}
