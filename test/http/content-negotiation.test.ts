// Content negotiation over real HTTP: answers keep the non-JSON media type the spec declares
// (CSV, bytes), Accept picks among declared types, and Accept excluding all of them is a 406.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../support/app-server.ts';

const APP = path.resolve(import.meta.dirname, '../fixtures/apps/media');

describe('content negotiation', () => {
  let server: RunningApp;
  const get = (url: string, accept?: string) =>
    request(server.url, 'GET', url, accept ? { headers: { accept } } : {});

  beforeAll(async () => {
    server = await startApp(APP, 'sqlite::memory:');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps the CSV type the spec declares for a handler that returns text', async () => {
    const csv = await get('/report.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe('name,count\nrex,2\n');
  });

  it("gives an operation that answers HTML helmet's page policy, and a JSON one the API policy", async () => {
    const page = await get('/welcome');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const data = await get('/report.csv');
    expect(data.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(data.headers.get('referrer-policy')).toBeNull();
  });

  it('sends bytes as application/octet-stream, unchanged', async () => {
    const response = await fetch(`${server.url}/blob`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('answers in the declared type the client asks for', async () => {
    const csv = await get('/greeting', 'text/csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe('text\nhello\n');
    const json = await get('/greeting', 'application/json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.body).toEqual({ text: 'hello' });
  });

  it('answers 406 when Accept excludes every documented type, and serves wildcards and q-values', async () => {
    const refused = await get('/greeting', 'image/png');
    expect(refused.status).toBe(406);
    expect(refused.body).toMatchObject({ code: 'SPECSTACK_ERR_NOT_ACCEPTABLE' });
    expect((await get('/report.csv', 'application/json')).status).toBe(406);
    expect((await get('/report.csv', 'text/csv;q=0, application/json')).status).toBe(406);
    expect((await get('/report.csv', 'text/*')).status).toBe(200);
    expect((await get('/report.csv', 'text/html, */*;q=0.8')).status).toBe(200);
  });
});
