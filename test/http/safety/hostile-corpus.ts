// A corpus of hostile inputs, each a change to an otherwise ordinary request: bodies, paths,
// query strings and credentials an attacker (or a broken client) sends.

import { SignJWT } from 'jose';

export interface HostileRequest {
  title: string;
  /** Replaces every path parameter. */
  param?: string;
  /** Appended to the URL (`?…`). */
  query?: string;
  body?: string | Buffer;
  contentType?: string;
  authorization?: string;
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const INJECTIONS = [
  "' OR '1'='1",
  '1; DROP TABLE users; --',
  "') UNION SELECT password FROM users --",
  '"NEAR(a b)" OR *',
  'title:* AND -',
  '^"',
  '%',
  '\\',
];

export const BODIES: HostileRequest[] = [
  { title: 'a 2 MiB body', body: `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}` },
  { title: 'JSON nested 10,000 deep', body: nested(10_000) },
  { title: 'arrays nested 50,000 deep', body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
  { title: 'a __proto__ key', body: '{"__proto__":{"isAdmin":true},"name":"x"}' },
  { title: 'a constructor.prototype key', body: '{"constructor":{"prototype":{"isAdmin":true}}}' },
  {
    title: 'invalid UTF-8',
    body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  },
  {
    title: 'an overlong UTF-8 NUL',
    body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]),
  },
  {
    title: 'a NUL byte in every string',
    body: '{"name":"a\\u0000b","email":"a\\u0000@example.com","title":"x\\u0000","password":"p\\u0000assword-long"}',
  },
  { title: 'a NUL byte in a name', body: '{"name":"a\\u0000b"}' },
  {
    title: 'a NUL byte in a sign-up',
    body: '{"email":"nul@example.com","name":"a\\u0000b","password":"correct horse battery"}',
  },
  { title: 'a NUL byte in a rating', body: '{"score":4,"review":"a\\u0000b"}' },
  {
    title: 'numbers beyond 2^53',
    body: '{"id":9007199254740993,"score":1e400,"year":-9007199254740993}',
  },
  { title: 'a truncated document', body: '{"name": "x"' },
  { title: 'an empty body', body: '' },
  { title: 'JSON null', body: 'null' },
  { title: 'a bare string', body: '"x"' },
  { title: 'a JSON body sent as text/plain', body: '{"name":"x"}', contentType: 'text/plain' },
  {
    title: 'a content type with a hostile charset',
    body: '{}',
    contentType: 'application/json; charset=utf-7',
  },
  {
    title: 'form data',
    body: 'a=1&__proto__[x]=1',
    contentType: 'application/x-www-form-urlencoded',
  },
  ...INJECTIONS.map((text) => ({
    title: `an injection in every string: ${text}`,
    body: JSON.stringify({ name: text, email: text, title: text, password: text, tag: text }),
  })),
];

export const PARAMS: HostileRequest[] = [
  { title: 'path traversal', param: '..%2f..%2f..%2fetc%2fpasswd' },
  { title: 'a NUL byte', param: 'a%00b' },
  { title: 'an integer beyond 2^53', param: '99999999999999999999' },
  { title: 'a negative number', param: '-1' },
  { title: 'a float', param: '1.5e3' },
  { title: 'invalid percent-encoding', param: '%E0%A4%A' },
  { title: 'a 4 KiB segment', param: 'x'.repeat(4096) },
  ...INJECTIONS.map((text) => ({
    title: `an injection: ${text}`,
    param: encodeURIComponent(text),
  })),
];

export const QUERIES: HostileRequest[] = [
  { title: 'duplicate keys', query: 'limit=1&limit=2&q=a&q=b&sort=id&sort=-id' },
  { title: 'a limit beyond 2^53', query: 'limit=99999999999999999999' },
  { title: 'a prototype key', query: '__proto__[x]=1&constructor[prototype][x]=1' },
  { title: 'a 20 KiB query string', query: `q=${'x'.repeat(20 * 1024)}` },
  { title: 'a NUL in the search', query: 'q=a%00b' },
  { title: 'a malformed cursor', query: 'cursor=%27%20OR%201%3D1&limit=5' },
  ...INJECTIONS.map((text) => ({
    title: `an injection in every parameter: ${text}`,
    query: ['q', 'sort', 'genre', 'tag', 'email', 'cursor']
      .map((name) => `${name}=${encodeURIComponent(text)}`)
      .join('&'),
  })),
];

/** Tokens that must all be refused: unsigned, forged, expired, for another audience, garbage. */
export async function hostileTokens(secret: string, audience: string): Promise<HostileRequest[]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: '1', scope: 'admin', role: 'admin' };
  const sign = (key: string, options: { exp?: number; aud?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now - 60)
      .setAudience(options.aud ?? audience)
      .setExpirationTime(options.exp ?? now + 600)
      .sign(new TextEncoder().encode(key));
  const tokens: Array<[string, string]> = [
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, aud: audience })}.`],
    ['a forged signature', await sign(`${secret}-not-the-one-the-server-knows`)],
    ['an expired token', await sign(secret, { exp: now - 30 })],
    ['a wrong audience', await sign(secret, { aud: 'someone-else' })],
    ['garbage', 'x.y.z'],
    ['a 6 KiB token', 'a'.repeat(6 * 1024)],
  ];
  return tokens.map(([title, token]) => ({
    title: `a token with ${title}`,
    authorization: `Bearer ${token}`,
  }));
}
