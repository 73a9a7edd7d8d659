// The secure fixture app over real HTTP on every dialect: each security scheme, every way a
// credential can be wrong, alternatives and combinations, owner rules, and what reaches the log.

import path from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { AUDIENCE, bearer, ISSUER, SECRET, sign, unsigned } from './tokens.ts';

const SECURE = path.resolve(import.meta.dirname, '../fixtures/apps/secure');

const REPORT_KEY = 'rk_5f1c0e7d9a2b4c6e8f0a1b2c3d4e5f60';
const ROBOT_KEY = 'rk_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d';
const COOKIE_KEY = 'ck_1234567890abcdef1234567890abcdef';
const API_KEYS = `${REPORT_KEY}=reporter:reports export,${ROBOT_KEY}=robot,${COOKIE_KEY}=cookie-user`;
const PASSWORD = 'correct horse battery staple';

function expectError(body: unknown, status: number, message?: string | RegExp) {
  expect(body).toMatchObject({ status, error: expect.any(String), message: expect.any(String) });
  if (message !== undefined) {
    expect((body as { message: string }).message).toMatch(message);
  }
}

describeEachDialect('secured operations', (ctx) => {
  let server: RunningApp;
  const issued: string[] = [];
  const users = { alice: 0, bob: 0, carol: 0 };
  const tokens = { alice: '', bob: '', carol: '' };

  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);

  beforeAll(async () => {
    server = await startFixtureApp(SECURE, await ctx.createDatabaseUrl(), {
      jwtSecret: SECRET,
      jwtIssuer: ISSUER,
      jwtAudience: AUDIENCE,
      apiKeys: API_KEYS,
    });
    for (const name of ['alice', 'bob', 'carol'] as const) {
      const created = await call('POST', '/v1/users', {
        json: { email: `${name}@example.com`, name, password: PASSWORD },
      });
      expect(created.status).toBe(201);
      users[name] = created.body.id;
    }
    tokens.bob = await sign({ sub: String(users.bob), scope: 'notes:write' });
    tokens.carol = await sign({ sub: String(users.carol), scope: 'notes:write admin' });
    issued.push(tokens.bob, tokens.carol);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('sign-up and login with the helpers', () => {
    it('stores a password hash, never the password, and never returns it', async () => {
      const read = await call('GET', `/v1/users/${users.alice}`, {
        headers: bearer(tokens.bob),
      });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ id: users.alice, email: 'alice@example.com', name: 'alice' });
      const stored = await server.app.db.repository('User').findByKey(users.alice);
      expect(stored?.password).toMatch(/^\$scrypt\$/);
      expect(String(stored?.password)).not.toContain(PASSWORD);
    });

    it('logs in with the right password and the issued token opens secured operations', async () => {
      const wrong = await call('POST', '/v1/login', {
        json: { email: 'alice@example.com', password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      const login = await call('POST', '/v1/login', {
        json: { email: 'alice@example.com', password: PASSWORD },
      });
      expect(login.status).toBe(200);
      tokens.alice = login.body.access_token;
      issued.push(tokens.alice);
      const [, payload] = tokens.alice.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      expect(claims).toMatchObject({
        sub: String(users.alice),
        scope: 'notes:write',
        iss: ISSUER,
        aud: AUDIENCE,
      });
      expect(claims.exp - claims.iat).toBe(3600);
      const me = await call('GET', '/v1/whoami', { headers: bearer(tokens.alice) });
      expect(me.body).toEqual({
        anonymous: false,
        subject: String(users.alice),
        scheme: 'bearerAuth',
        scopes: ['notes:write'],
      });
    });
  });

  describe('bearer tokens', () => {
    const refused = async (token: string, reason: string) => {
      const response = await call('GET', `/v1/users/${users.alice}`, { headers: bearer(token) });
      expect(response.status).toBe(401);
      expectError(response.body, 401, reason);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer realm="Secure", error="invalid_token", error_description="${reason}"`,
      );
      expect(response.text).not.toContain(token);
      return response;
    };

    it('answers a request with no token 401 with a Bearer challenge and the spec error shape', async () => {
      const response = await call('GET', `/v1/users/${users.alice}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="Secure"');
      expectError(response.body, 401, 'send a bearer token in the Authorization header');
    });

    it('refuses a malformed token and a non-Bearer Authorization header', async () => {
      await refused('not.a-token', 'token malformed');
      const basic = await call('GET', `/v1/users/${users.alice}`, {
        headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' },
      });
      expect(basic.status).toBe(401);
      expect(basic.body.message).toBe('the Authorization header does not carry a Bearer token');
    });

    it('refuses an expired token and one not yet valid', async () => {
      await refused(await sign({ sub: '1' }, { expiresIn: -60 }), 'token expired');
      await refused(await sign({ sub: '1' }, { notBefore: 120 }), 'token not yet valid');
    });

    it('refuses a token signed with another secret', async () => {
      const key = new TextEncoder().encode('another-secret-another-secret-another-secret');
      await refused(await sign({ sub: '1' }, { key }), 'signature invalid');
    });

    it('refuses an unsigned token (alg none)', async () => {
      await refused(unsigned({ sub: '1' }), 'token algorithm none not accepted');
    });

    it('refuses RS256 without a key set, and HS256 signed with an RSA public key', async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      await refused(
        await sign({ sub: '1' }, { alg: 'RS256', key: privateKey }),
        'token algorithm RS256 not accepted',
      );
      const pem = new TextEncoder().encode(await exportSPKI(publicKey));
      await refused(await sign({ sub: '1' }, { key: pem }), 'signature invalid');
    });

    it('refuses a wrong audience, a wrong issuer, and a token with no expiry or subject', async () => {
      await refused(
        await sign({ sub: '1' }, { audience: 'other-api' }),
        'token audience not accepted',
      );
      await refused(
        await sign({ sub: '1' }, { issuer: 'https://evil.test' }),
        'token issuer not accepted',
      );
      await refused(await sign({ sub: '1' }, { expiresIn: null }), 'token has no exp claim');
      await refused(await sign({ scope: 'x' }), 'token has no sub claim');
    });

    it('answers a valid token without the required scope 403 insufficient_scope', async () => {
      const reader = await sign({ sub: String(users.bob), scope: 'notes:read' });
      const response = await call('POST', '/v1/notes', {
        json: { title: 'nope' },
        headers: bearer(reader),
      });
      expect(response.status).toBe(403);
      expectError(response.body, 403, 'scope notes:write required');
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="Secure", error="insufficient_scope", error_description="scope notes:write required", scope="notes:write"',
      );
    });

    it('checks the oauth2 and openIdConnect scopes against scope or scp claims', async () => {
      const admin = await sign({ sub: 'ops', scp: ['admin'] });
      const oauth = await call('GET', '/v1/oauth-area', { headers: bearer(admin) });
      expect(oauth.body).toEqual({
        anonymous: false,
        subject: 'ops',
        scheme: 'oauth',
        scopes: ['admin'],
      });
      const writer = await call('GET', '/v1/oauth-area', { headers: bearer(tokens.bob) });
      expect(writer.status).toBe(403);
      expect(writer.body.message).toBe('scope admin required');
      const profile = await sign({ sub: 'someone', scope: 'openid profile' });
      expect((await call('GET', '/v1/oidc-area', { headers: bearer(profile) })).status).toBe(200);
      expect((await call('GET', '/v1/oidc-area', { headers: bearer(admin) })).status).toBe(403);
    });
  });

  describe('API keys', () => {
    it('accepts a key in its header or its query parameter, with the key holder as principal', async () => {
      const byHeader = await call('GET', '/v1/reports', { headers: { 'x-api-key': REPORT_KEY } });
      expect(byHeader.status).toBe(200);
      expect(byHeader.body).toEqual({
        anonymous: false,
        subject: 'reporter',
        scheme: 'headerKey',
        scopes: ['reports', 'export'],
      });
      const byQuery = await call('GET', `/v1/reports?api_key=${REPORT_KEY}`);
      expect(byQuery.status).toBe(200);
      expect(byQuery.body.scheme).toBe('queryKey');
    });

    it('refuses an unknown key 401 with an ApiKey challenge, and a key without the scope 403', async () => {
      const unknown = await call('GET', '/v1/reports', {
        headers: { 'x-api-key': `${REPORT_KEY}x` },
      });
      expect(unknown.status).toBe(401);
      expectError(unknown.body, 401, 'API key not recognised');
      expect(unknown.headers.get('www-authenticate')).toBe(
        'ApiKey realm="Secure", in="header", name="X-API-Key", ApiKey realm="Secure", in="query", name="api_key"',
      );
      const robot = await call('GET', '/v1/reports', { headers: { 'x-api-key': ROBOT_KEY } });
      expect(robot.status).toBe(403);
      expectError(robot.body, 403, 'scope reports required');
      const none = await call('GET', '/v1/reports');
      expect(none.status).toBe(401);
      expect(none.body.message).toBe(
        'authentication required: send an API key in the X-API-Key header, or an API key in the api_key query parameter',
      );
    });

    it('reads a key from its cookie', async () => {
      const response = await call('GET', '/v1/cookie-area', {
        headers: { cookie: `session_key=${COOKIE_KEY}` },
      });
      expect(response.body).toMatchObject({ subject: 'cookie-user', scheme: 'cookieKey' });
      expect((await call('GET', '/v1/cookie-area')).status).toBe(401);
    });
  });

  describe('requirement lists', () => {
    let noteId: number;

    it('lets an operation with security: [] through with no credentials', async () => {
      const response = await call('GET', '/v1/notes');
      expect(response.status).toBe(200);
    });

    it('accepts either alternative, and names both when neither is sent', async () => {
      const created = await call('POST', '/v1/notes', {
        json: { title: 'shared' },
        headers: bearer(tokens.bob),
      });
      noteId = created.body.id;
      const byToken = await call('GET', `/v1/notes/${noteId}`, { headers: bearer(tokens.alice) });
      expect(byToken.status).toBe(200);
      const byKey = await call('GET', `/v1/notes/${noteId}`, {
        headers: { 'x-api-key': ROBOT_KEY },
      });
      expect(byKey.status).toBe(200);
      const neither = await call('GET', `/v1/notes/${noteId}`);
      expect(neither.status).toBe(401);
      expect(neither.headers.get('www-authenticate')).toBe(
        'Bearer realm="Secure", ApiKey realm="Secure", in="header", name="X-API-Key"',
      );
      expect(neither.body.message).toBe(
        'authentication required: send a bearer token in the Authorization header, or an API key in the X-API-Key header',
      );
    });

    it('refuses a bad token even when the other alternative would have been possible', async () => {
      const response = await call('GET', `/v1/notes/${noteId}`, {
        headers: bearer(await sign({ sub: '1' }, { expiresIn: -10 })),
      });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('token expired');
    });

    it('needs every scheme of a combined requirement', async () => {
      const tokenOnly = await call('GET', '/v1/audit', { headers: bearer(tokens.alice) });
      expect(tokenOnly.status).toBe(401);
      expect(tokenOnly.body.message).toBe(
        'authentication required: send a bearer token in the Authorization header and an API key in the X-API-Key header',
      );
      const keyOnly = await call('GET', '/v1/audit', { headers: { 'x-api-key': ROBOT_KEY } });
      expect(keyOnly.status).toBe(401);
      const both = await call('GET', '/v1/audit', {
        headers: { ...bearer(tokens.alice), 'x-api-key': ROBOT_KEY },
      });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ subject: String(users.alice), scheme: 'bearerAuth' });
    });

    it('treats {} as optional: anonymous without a token, the caller with one, 401 with a bad one', async () => {
      expect((await call('GET', '/v1/whoami')).body).toEqual({ anonymous: true });
      const signedIn = await call('GET', '/v1/whoami', { headers: bearer(tokens.bob) });
      expect(signedIn.body.subject).toBe(String(users.bob));
      const bad = await call('GET', '/v1/whoami', { headers: bearer('garbage') });
      expect(bad.status).toBe(401);
    });

    it('checks credentials before reading the body', async () => {
      const response = await call('POST', '/v1/notes', {
        body: '{"title": broken json',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(401);
    });
  });

  describe('owner rules in auto-CRUD', () => {
    let aliceNote: { id: number; title: string; author_id: number };

    it('sets the owner from the token on create, whatever the body says', async () => {
      const created = await call('POST', '/v1/notes', {
        json: { title: 'mine', author_id: users.bob },
        headers: bearer(tokens.alice),
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        title: 'mine',
        author_id: users.alice,
      });
      aliceNote = created.body;
    });

    it("refuses changes to someone else's row with 403 and leaves it as it was", async () => {
      for (const [method, json] of [
        ['PATCH', { title: 'hijacked' }],
        ['PUT', { title: 'hijacked' }],
        ['DELETE', undefined],
      ] as const) {
        const response = await call(method, `/v1/notes/${aliceNote.id}`, {
          ...(json ? { json } : {}),
          headers: bearer(tokens.bob),
        });
        expect(response.status).toBe(403);
        expectError(response.body, 403, /belongs to someone else/);
      }
      const read = await call('GET', `/v1/notes/${aliceNote.id}`, { headers: bearer(tokens.bob) });
      expect(read.body).toEqual(aliceNote);
    });

    it('lets the owner change the row but not give it away; PUT keeps the owner', async () => {
      const patched = await call('PATCH', `/v1/notes/${aliceNote.id}`, {
        json: { title: 'still mine', author_id: users.bob },
        headers: bearer(tokens.alice),
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...aliceNote, title: 'still mine' });
      const replaced = await call('PUT', `/v1/notes/${aliceNote.id}`, {
        json: { title: 'replaced' },
        headers: bearer(tokens.alice),
      });
      expect(replaced.body).toEqual({ ...aliceNote, title: 'replaced' });
    });

    it('lets the owner scope act on any row and create rows for others', async () => {
      const moved = await call('PATCH', `/v1/notes/${aliceNote.id}`, {
        json: { author_id: users.bob },
        headers: bearer(tokens.carol),
      });
      expect(moved.status).toBe(200);
      expect(moved.body.author_id).toBe(users.bob);
      const forAlice = await call('POST', '/v1/notes', {
        json: { title: 'for alice', author_id: users.alice },
        headers: bearer(tokens.carol),
      });
      expect(forAlice.body.author_id).toBe(users.alice);
      const removed = await call('DELETE', `/v1/notes/${forAlice.body.id}`, {
        headers: bearer(tokens.carol),
      });
      expect(removed.status).toBe(204);
    });

    it('answers 404, not 403, for a row that does not exist', async () => {
      const response = await call('PATCH', '/v1/notes/999999', {
        json: { title: 'x' },
        headers: bearer(tokens.bob),
      });
      expect(response.status).toBe(404);
    });

    it('treats a self-owned table (x-owner: id) as owned by its row', async () => {
      const other = await call('PATCH', `/v1/users/${users.alice}`, {
        json: { name: 'mallory' },
        headers: bearer(tokens.bob),
      });
      expect(other.status).toBe(403);
      const own = await call('PATCH', `/v1/users/${users.alice}`, {
        json: { name: 'Alice' },
        headers: bearer(tokens.alice),
      });
      expect(own.status).toBe(200);
      expect(own.body.name).toBe('Alice');
    });
  });

  describe('logs', () => {
    it('never contain a password, a token or an API key', async () => {
      await call('GET', `/v1/reports?api_key=${REPORT_KEY}`);
      await call('GET', '/v1/whoami', {
        headers: { ...bearer(tokens.alice), cookie: `session_key=${COOKIE_KEY}` },
      });
      await call('GET', '/v1/reports', { headers: { 'x-api-key': REPORT_KEY } });
      const text = JSON.stringify(server.logs);
      // The requests above did reach the log, redacted.
      expect(text).toContain('signing up');
      expect(text).toContain('who is calling');
      expect(text).toContain('api_key=[Redacted]');
      expect(issued.length).toBeGreaterThanOrEqual(3);
      for (const secret of [PASSWORD, SECRET, REPORT_KEY, COOKIE_KEY, ...issued]) {
        expect(text).not.toContain(secret);
      }
    });
  });
});
