// What a developer sees when an app cannot start: each failure names the fault and the fix.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { useTempApps } from '../support/temp-apps.ts';

const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');
const { tempApp, removeAfterTest } = useTempApps();

const quietly = { env: {}, overrides: { logLevel: 'silent', databaseUrl: 'sqlite::memory:' } };

describe('starting an app', () => {
  it('refuses an operation with neither handler nor table, naming its pointer and the fix', async () => {
    const dir = tempApp(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /hello:
    get:
      operationId: sayHello
      responses:
        '200': { description: ok }
`);
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_HANDLER_NOT_FOUND',
      message: expect.stringMatching(/openapi\.yaml#\/paths\/~1hello\/get: .*"sayHello"/),
    });
  });

  it('refuses x-versioned on a schema that already has a row_version property, naming it', async () => {
    const dir = tempApp(`openapi: 3.1.0
info: { title: t, version: '1' }
paths: {}
components:
  schemas:
    Draft:
      type: object
      x-tablename: drafts
      x-versioned: true
      properties:
        id: { type: integer, x-primary-key: true }
        row_version: { type: string }
`);
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MODEL_INVALID',
      pointer: 'openapi.yaml#/components/schemas/Draft/properties/row_version',
      message: expect.stringContaining('x-versioned adds the column row_version'),
    });
  });

  it('refuses an x-handler that names a missing export', async () => {
    const dir = tempApp(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /hello:
    get:
      x-handler: greetings#hello
      responses:
        '200': { description: ok }
`);
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_HANDLER_NOT_FOUND',
      pointer: 'openapi.yaml#/paths/~1hello/get/x-handler',
    });
  });

  it('refuses to serve while migrations are pending, naming the command to run', async () => {
    const fixture = await prepareFixtureApp(SHOP);
    removeAfterTest(fixture.remove);
    await expect(
      createApp({
        appDir: fixture.dir,
        env: {},
        overrides: { logLevel: 'silent', databaseUrl: 'sqlite::memory:' },
      }),
    ).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATIONS_PENDING',
      message: expect.stringContaining('specstack migrate up'),
    });
  });

  it('stops on a broken spec with the file and pointer of the fault', async () => {
    const dir = tempApp(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /pets:
    get:
      responses:
        '200': { content: {} }
`);
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SPEC_INVALID',
      message: expect.stringContaining(
        "openapi.yaml#/paths/~1pets/get/responses/200: must have required property 'description'",
      ),
    });
  });

  it('names the missing "type": "module" when a TypeScript handler sits outside an ES module package', async () => {
    const dir = tempApp(`openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /hello:
    get:
      operationId: hello
      responses:
        '200': { description: ok }
`);
    rmSync(path.join(dir, 'package.json'));
    mkdirSync(path.join(dir, 'handlers'));
    writeFileSync(path.join(dir, 'handlers', 'hello.ts'), 'export const hello = () => ({});\n');
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_APP_MODULE_TYPE',
      message: expect.stringContaining('"type": "module"'),
    });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const app = await createApp({ appDir: dir, ...quietly });
    await app.close();
  });

  it('names the handler module that fails to load, and why', async () => {
    const dir = tempApp(`openapi: 3.0.3
info: { title: t, version: '1' }
paths: {}
`);
    mkdirSync(path.join(dir, 'handlers'));
    writeFileSync(path.join(dir, 'handlers', 'broken.ts'), 'export function hello( {\n');
    writeFileSync(path.join(dir, 'handlers', 'throws.mts'), "throw new Error('no config');\n");
    const error = await createApp({ appDir: dir, ...quietly }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPECSTACK_ERR_APP_MODULE_LOAD' });
    expect((error as Error).message).toMatch(/handlers\/broken\.ts failed to load: .*Expected/s);
    rmSync(path.join(dir, 'handlers', 'broken.ts'));
    await expect(createApp({ appDir: dir, ...quietly })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_APP_MODULE_LOAD',
      message: expect.stringMatching(/handlers\/throws\.mts failed to load: no config/),
    });
  });
});
