// What a developer sees when the auth settings or the spec's security are wrong, and how an app
// without a JWT_SECRET behaves in development.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { useTempApps } from '../support/temp-apps.ts';
import { bearer } from './tokens.ts';

const SECURE = path.resolve(import.meta.dirname, '../fixtures/apps/secure');
const { tempApp } = useTempApps();

const start = (appDir: string, env: NodeJS.ProcessEnv = {}) =>
  createApp({
    appDir,
    env,
    overrides: { logLevel: 'silent', databaseUrl: 'sqlite::memory:' },
  });

const specWith = (security: string, schemas = '') => `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /things:
    get:
      x-handler: things#list
${security}
      responses:
        '200': { description: ok }
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
    basicAuth: { type: http, scheme: basic }
${schemas}`;

describe('starting a secured app', () => {
  it('refuses to start in production with a bearer scheme and neither JWT_SECRET nor JWT_JWKS_URL', async () => {
    await expect(start(SECURE, { NODE_ENV: 'production' })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_AUTH_CONFIG',
      message: expect.stringMatching(/JWT_SECRET is not set.*JWT_JWKS_URL/),
    });
  });

  it('refuses malformed SPECSTACK_API_KEYS, naming the entry but never the key', async () => {
    const attempt = start(SECURE, { SPECSTACK_API_KEYS: 'good-key=robot,secret-key-no-subject=' });
    await expect(attempt).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_AUTH_CONFIG',
      message: expect.stringContaining('entry 2: the subject is empty'),
    });
    await expect(attempt).rejects.not.toMatchObject({
      message: expect.stringContaining('secret-key'),
    });
  });

  it('refuses symmetric or unknown JWKS algorithms and an unreadable token lifetime', async () => {
    await expect(start(SECURE, { JWT_JWKS_ALGORITHMS: 'RS256,HS256' })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_AUTH_CONFIG',
      message: expect.stringContaining('"HS256" cannot be verified with a public key set'),
    });
    await expect(start(SECURE, { JWT_EXPIRES_IN: 'forever' })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_AUTH_CONFIG',
      message: expect.stringContaining('JWT_EXPIRES_IN'),
    });
  });

  it('refuses a requirement that names an undeclared scheme, with its pointer', async () => {
    const dir = tempApp(specWith('      security: [{ tokenAuth: [] }]'));
    await expect(start(dir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SPEC_INVALID',
      pointer: 'openapi.yaml#/paths/~1things/get/security/0/tokenAuth',
    });
  });

  it('refuses an unsupported scheme only where an operation uses it', async () => {
    const dir = tempApp(specWith('      security: [{ basicAuth: [] }]'));
    await expect(start(dir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SPEC_UNSUPPORTED',
      pointer: 'openapi.yaml#/components/securitySchemes/basicAuth',
      message: expect.stringContaining('"http basic" is not supported'),
    });
    const unused = tempApp(specWith('      security: [{ bearerAuth: [] }]'));
    mkdirSync(path.join(unused, 'handlers'));
    writeFileSync(path.join(unused, 'handlers', 'things.ts'), 'export const list = () => [];\n');
    const app = await start(unused);
    await app.close();
  });

  it('refuses an x-owner that names no property, with its pointer', async () => {
    const spec = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Note' }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Note' }
components:
  schemas:
    Note:
      type: object
      x-tablename: notes
      x-owner: writer
      properties:
        id: { type: integer, x-primary-key: true }
        author: { type: string }
`;
    await expect(start(tempApp(spec))).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MODEL_INVALID',
      pointer: expect.stringMatching(/openapi\.yaml#\/components\/schemas\/Note\/x-owner$/),
    });
  });
});

describeEachDialect('an app with no JWT_SECRET in development', (ctx) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startFixtureApp(SECURE, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('warns that tokens will not survive a restart, and its issued tokens work meanwhile', async () => {
    const warning = server.logs.find(
      (line) => line.level === 40 && String(line.msg).includes('JWT_SECRET is not set'),
    );
    expect(warning?.msg).toContain('stop working at the next restart');
    const user = { email: 'dev@example.com', name: 'dev', password: 'development only' };
    expect((await request(server.url, 'POST', '/v1/users', { json: user })).status).toBe(201);
    const login = await request(server.url, 'POST', '/v1/login', { json: user });
    const me = await request(server.url, 'GET', '/v1/whoami', {
      headers: bearer(login.body.access_token),
    });
    expect(me.body).toMatchObject({ anonymous: false, scopes: ['notes:write'] });
  });
});
