// Request bodies are validated in JSON Schema 2020-12, OpenAPI 3.1's dialect: its keywords are
// enforced, not skipped as unknown annotations.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { useTempApps } from '../support/temp-apps.ts';

const { tempApp } = useTempApps();

const SPEC = `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /reminders:
    post:
      operationId: createReminder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                remind_at: { type: string, format: date-time }
                timezone: { type: string }
                pair:
                  type: array
                  prefixItems: [{ type: integer }, { type: string }]
              dependentRequired: { remind_at: [timezone] }
              unevaluatedProperties: false
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { type: object, additionalProperties: true }
        '400':
          description: invalid
          content:
            application/json:
              schema:
                type: object
                properties: { code: { type: string }, message: { type: string } }
`;

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<App> {
  const dir = tempApp(SPEC);
  mkdirSync(path.join(dir, 'handlers'));
  writeFileSync(
    path.join(dir, 'handlers', 'reminders.ts'),
    `import { respond } from 'specstack';
export const createReminder = (context) => respond(201, context.body);
`,
  );
  app = await createApp({
    appDir: dir,
    env: {},
    overrides: { logLevel: 'silent', databaseUrl: 'sqlite::memory:' },
  });
  return app;
}

describe('request bodies in OpenAPI 3.1', () => {
  it.each([
    ['dependentRequired', { remind_at: '2026-12-01T10:00:00Z' }, 'timezone'],
    ['unevaluatedProperties', { timezone: 'UTC', extra: 1 }, 'extra'],
    ['prefixItems', { pair: ['a', 1] }, 'pair'],
  ])('refuses a body that breaks %s with 400 naming the field', async (_keyword, body, field) => {
    const server = (await start()).server;
    const response = await server.inject({ method: 'POST', url: '/reminders', payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it('accepts a body that keeps every rule', async () => {
    const server = (await start()).server;
    const body = { remind_at: '2026-12-01T10:00:00Z', timezone: 'UTC', pair: [1, 'a'] };
    const response = await server.inject({ method: 'POST', url: '/reminders', payload: body });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual(body);
  });
});
