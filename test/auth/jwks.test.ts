// Tokens from an identity provider: RS256 and ES256 verified against a JWKS served on 127.0.0.1,
// in production with no JWT_SECRET, so HS256 is not accepted at all.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { AUDIENCE, bearer, ISSUER, sign, unsigned } from './tokens.ts';

const SECURE = path.resolve(import.meta.dirname, '../fixtures/apps/secure');

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describeEachDialect('tokens verified against a JWKS', (ctx) => {
  let server: RunningApp;
  let jwksServer: Server;
  let failing = true;
  let jwksRequests = 0;
  let rsa: KeyPair;
  let ec: KeyPair;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwksServer = createServer((_request, response) => {
      jwksRequests += 1;
      if (failing) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    server = await startFixtureApp(SECURE, await ctx.createDatabaseUrl(), {
      environment: 'production',
      jwtJwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      jwtIssuer: ISSUER,
      jwtAudience: AUDIENCE,
    });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  const whoami = (token: string) =>
    request(server.url, 'GET', '/v1/oidc-area', { headers: bearer(token) });

  it('answers 503 while the key set cannot be fetched, and recovers when it can', async () => {
    const token = await sign(
      { sub: 'ada', scope: 'profile' },
      { alg: 'RS256', key: rsa.privateKey, kid: 'rsa-1' },
    );
    const down = await whoami(token);
    expect(down.status).toBe(503);
    expect(down.body.message).toContain('JWT_JWKS_URL');
    failing = false;
    const up = await whoami(token);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ subject: 'ada', scheme: 'oidc', scopes: ['profile'] });
  });

  it('accepts RS256 and ES256 tokens signed by keys of the set, fetching the set once', async () => {
    const before = jwksRequests;
    const rs = await sign(
      { sub: 'rs-user', scope: 'profile' },
      { alg: 'RS256', key: rsa.privateKey, kid: 'rsa-1' },
    );
    const es = await sign(
      { sub: 'es-user', scope: 'profile' },
      { alg: 'ES256', key: ec.privateKey, kid: 'ec-1' },
    );
    expect((await whoami(rs)).body.subject).toBe('rs-user');
    expect((await whoami(es)).body.subject).toBe('es-user');
    expect(jwksRequests).toBe(before);
  });

  it('refuses a token signed by a key outside the set', async () => {
    const stranger = await generateKeyPair('RS256');
    const unknownKid = await whoami(
      await sign({ sub: 'x' }, { alg: 'RS256', key: stranger.privateKey, kid: 'rsa-9' }),
    );
    expect(unknownKid.status).toBe(401);
    expect(unknownKid.body.message).toBe('no known key matches the token');
    const forgedKid = await whoami(
      await sign({ sub: 'x' }, { alg: 'RS256', key: stranger.privateKey, kid: 'rsa-1' }),
    );
    expect(forgedKid.body.message).toBe('signature invalid');
  });

  it('refuses HS256 with no secret configured, even signed with the public key, and alg none', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await whoami(await sign({ sub: 'x', scope: 'profile' }, { key: pem }));
    expect(confused.status).toBe(401);
    expect(confused.body.message).toBe('token algorithm HS256 not accepted');
    const withSecret = await whoami(await sign({ sub: 'x', scope: 'profile' }));
    expect(withSecret.body.message).toBe('token algorithm HS256 not accepted');
    const none = await whoami(unsigned({ sub: 'x', scope: 'profile' }));
    expect(none.body.message).toBe('token algorithm none not accepted');
  });

  it('checks issuer, audience and expiry of JWKS tokens too', async () => {
    const options = { alg: 'ES256', key: ec.privateKey, kid: 'ec-1' };
    const claims = { sub: 'x', scope: 'profile' };
    const wrongAudience = await whoami(await sign(claims, { ...options, audience: 'other' }));
    expect(wrongAudience.body.message).toBe('token audience not accepted');
    const expired = await whoami(await sign(claims, { ...options, expiresIn: -30 }));
    expect(expired.body.message).toBe('token expired');
  });
});
