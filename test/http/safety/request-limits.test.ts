// Limits and safe defaults at the HTTP edge, on the petstore over every dialect: oversized
// headers and query strings get 431 and bodies 413 in the spec's Error shape, a body that is not
// UTF-8 gets 400 and is not stored, and every answer carries the security headers.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../../examples/petstore');

describeEachDialect('request limits and security headers', (ctx) => {
  let server: RunningApp;

  beforeAll(async () => {
    server = await startApp(PETSTORE, await ctx.createDatabaseUrl(), { headerLimit: 4096 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const petNames = async () =>
    (await request(server.url, 'GET', '/api/pets?limit=100')).body.map(
      (pet: { name: string }) => pet.name,
    );

  it('answers an oversized query string with 431 in the spec Error shape', async () => {
    const response = await request(server.url, 'GET', `/api/pets?tag=${'x'.repeat(8000)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ code: 431, message: expect.stringMatching(/too large/) });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers an oversized header with 431 in the spec Error shape', async () => {
    const response = await request(server.url, 'GET', '/api/pets', {
      headers: { 'x-padding': 'y'.repeat(8000) },
    });
    expect(response.status).toBe(431);
    expect(response.body).toEqual({ code: 431, message: expect.any(String) });
  });

  it('refuses a JSON body that is not valid UTF-8 with 400, storing nothing', async () => {
    const before = await petNames();
    const body = Buffer.concat([
      Buffer.from('{"name":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const response = await request(server.url, 'POST', '/api/pets', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 400, message: 'the request body is not valid UTF-8' });
    expect(await petNames()).toEqual(before);
  });

  it('still stores valid UTF-8 text exactly', async () => {
    const response = await request(server.url, 'POST', '/api/pets', {
      json: { name: 'Léon 🐈', tag: 'ü' },
    });
    expect(response.status).toBe(201);
    expect(await petNames()).toContain('Léon 🐈');
  });

  it('refuses prototype-pollution keys in a JSON body with 400', async () => {
    const response = await request(server.url, 'POST', '/api/pets', {
      body: '{"name":"x","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 400, message: expect.any(String) });
  });

  it('sends an API answer and a not-found answer the API headers: nothing may load or frame them', async () => {
    for (const url of ['/api/pets', '/api/pets/999999', '/api/nowhere']) {
      const response = await request(server.url, 'GET', url);
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      // Plain HTTP: a host must not send HSTS there (RFC 6797 §7.2).
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      // What only a rendered document would obey is left off JSON answers.
      expect(response.headers.get('x-dns-prefetch-control')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it("sends the docs page helmet's whole policy, with a CSP that allows its own scripts", async () => {
    const response = await request(server.url, 'GET', '/docs');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('sends HSTS on answers a TLS-terminating proxy marks as HTTPS, and on no others', async () => {
    const hsts = async (headers: Record<string, string>, url = '/api/pets') =>
      (await request(server.url, 'GET', url, { headers })).headers.get('strict-transport-security');
    for (const marked of <Record<string, string>[]>[
      { 'x-forwarded-proto': 'https' },
      { 'x-forwarded-proto': 'HTTPS, http' },
      { forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' },
      { forwarded: 'proto="https", proto=http' },
    ]) {
      expect(await hsts(marked)).toBe('max-age=31536000; includeSubDomains');
      expect(await hsts(marked, '/docs')).toBe('max-age=31536000; includeSubDomains');
    }
    for (const plain of <Record<string, string>[]>[
      { 'x-forwarded-proto': 'http' },
      { 'x-forwarded-proto': 'http, https' },
      { 'x-forwarded-proto': 'httpsx' },
      { forwarded: 'proto=http, proto=https' },
      { forwarded: 'for=192.0.2.60;proto=httpsy' },
    ]) {
      expect(await hsts(plain)).toBeNull();
    }
  });
});
