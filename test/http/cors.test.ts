// CORS from SPECSTACK_CORS_ORIGINS on the petstore: off by default, a preflight from a listed
// origin is allowed with the spec's methods and headers, another origin gets no CORS headers; and
// on an app with x-job operations, for their task URLs too.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');
const TASKS = path.resolve(import.meta.dirname, '../fixtures/apps/tasks');
const APP_ORIGIN = 'https://app.example.com';

const preflight = (origin: string) => ({
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, authorization',
  },
});

describe('SPECSTACK_CORS_ORIGINS', () => {
  it('is a comma-separated list of origins, empty by default', () => {
    expect(loadConfig({ env: {} }).corsOrigins).toEqual([]);
    const env = { SPECSTACK_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' };
    expect(loadConfig({ env }).corsOrigins).toEqual([APP_ORIGIN, 'http://localhost:5173']);
  });

  it('refuses an origin a browser would never send, such as one with a path', () => {
    const env = { SPECSTACK_CORS_ORIGINS: 'https://app.example.com/' };
    expect(() => loadConfig({ env })).toThrow(/SPECSTACK_CORS_ORIGINS must list origins/);
  });
});

describeEachDialect(
  'CORS',
  (ctx) => {
    let server: RunningApp | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const start = async (corsOrigins: string[]) => {
      server = await startApp(PETSTORE, await ctx.createDatabaseUrl(), { corsOrigins });
      return server.url;
    };

    it('is off by default: no CORS headers, and a preflight is not answered', async () => {
      const url = await start([]);
      const list = await request(url, 'GET', '/api/pets', { headers: { origin: APP_ORIGIN } });
      expect(list.status).toBe(200);
      expect(list.headers.get('access-control-allow-origin')).toBeNull();
      const options = await request(url, 'OPTIONS', '/api/pets', preflight(APP_ORIGIN));
      expect(options.status).toBe(405);
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a preflight from a listed origin with its methods, headers and credentials', async () => {
      const url = await start(['http://localhost:5173', APP_ORIGIN]);
      const options = await request(url, 'OPTIONS', '/api/pets', preflight(APP_ORIGIN));
      expect(options.status).toBe(204);
      expect(options.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(options.headers.get('access-control-allow-credentials')).toBe('true');
      expect(options.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(
        expect.arrayContaining(['GET', 'POST', 'DELETE']),
      );
      expect(options.headers.get('access-control-allow-headers')).toBe(
        'content-type, authorization',
      );
      expect(options.headers.get('vary')).toMatch(/origin/i);

      const list = await request(url, 'GET', '/api/pets', { headers: { origin: APP_ORIGIN } });
      expect(list.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      // The spec's x-next paging header and the request id are readable by the page's script.
      expect(list.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(
        expect.arrayContaining(['x-request-id', 'x-next']),
      );
    });

    it('gives an origin that is not listed no CORS headers', async () => {
      const url = await start([APP_ORIGIN]);
      const other = 'https://evil.example.net';
      const options = await request(url, 'OPTIONS', '/api/pets', preflight(other));
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
      const list = await request(url, 'GET', '/api/pets', { headers: { origin: other } });
      expect(list.status).toBe(200);
      expect(list.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows any origin, without credentials, when the list is *', async () => {
      const url = await start(['*']);
      const options = await request(url, 'OPTIONS', '/api/pets', preflight(APP_ORIGIN));
      expect(options.headers.get('access-control-allow-origin')).toBe('*');
      expect(options.headers.get('access-control-allow-credentials')).toBeNull();
    });
  },
  ['sqlite'],
);

// The task route is served from the database on every dialect: its preflight is checked on both.
describeEachDialect('CORS on task URLs', (ctx) => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lets a page on a listed origin start an x-job, read its Location, and poll the task after a preflight', async () => {
    server = await startApp(TASKS, await ctx.createDatabaseUrl(), { corsOrigins: [APP_ORIGIN] });
    const url = server.url;
    const started = await request(url, 'POST', '/api/counts', {
      json: { to: 1 },
      headers: { origin: APP_ORIGIN },
    });
    expect(started.status).toBe(202);
    expect(started.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    // The task's Location is readable by the page's script, though the fixture's 202 declares no headers.
    expect(started.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain(
      'location',
    );
    const location = started.headers.get('location')!;

    const options = await request(url, 'OPTIONS', location, {
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(options.headers.get('access-control-allow-credentials')).toBe('true');
    expect(options.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain('GET');
    expect(options.headers.get('access-control-allow-headers')).toBe('authorization');
    expect(options.headers.get('access-control-max-age')).toBe('600');

    const task = await request(url, 'GET', location, { headers: { origin: APP_ORIGIN } });
    expect(task.status).toBe(200);
    expect(task.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(task.body.operation).toBe('startCount');

    const other = await request(url, 'OPTIONS', location, {
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
