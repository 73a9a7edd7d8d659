// multipart/form-data uploads over real HTTP: files and fields reach the handler in the documented
// shape, and what the spec forbids (a missing part, a wrong type, a file past its maxLength, a
// file part's media type) is refused in the spec's error shape before the handler runs.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../support/app-server.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/uploads');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(600, 7)]);

describe('multipart uploads', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(APP, 'sqlite::memory:');
  });
  afterAll(async () => {
    await running?.close();
  });

  async function post(form: FormData, url = '/api/posters') {
    const response = await fetch(`${running.url}${url}`, { method: 'POST', body: form });
    // biome-ignore lint/suspicious/noExplicitAny: answers are read freely.
    const body: any = await response.json();
    return { status: response.status, body };
  }

  function poster(overrides: { data?: Buffer; type?: string } = {}): FormData {
    const form = new FormData();
    form.append('title', 'Metropolis');
    form.append('year', '1927');
    form.append(
      'poster',
      new Blob([overrides.data ?? PNG], { type: overrides.type ?? 'image/png' }),
      'metropolis.png',
    );
    return form;
  }

  it('hands the handler its fields, coerced, and its files with name, type, size and bytes', async () => {
    const form = poster();
    form.append('stills', new Blob([Buffer.alloc(10)], { type: 'image/jpeg' }), 'one.jpg');
    form.append('stills', new Blob([Buffer.alloc(20)], { type: 'image/jpeg' }), 'two.jpg');
    const { status, body } = await post(form);
    expect(status).toBe(201);
    expect(body).toEqual({
      title: 'Metropolis',
      year: 1927,
      poster: {
        filename: 'metropolis.png',
        contentType: 'image/png',
        size: PNG.length,
        sha256: createHash('sha256').update(PNG).digest('hex'),
      },
      stills: ['one.jpg:10', 'two.jpg:20'],
    });
  });

  it('takes one file for an array of files', async () => {
    const form = poster();
    form.append('stills', new Blob([Buffer.alloc(5)]), 'only.jpg');
    expect((await post(form)).body.stills).toEqual(['only.jpg:5']);
  });

  it('refuses a missing file part, and a text where a file is due, with 400 naming the field', async () => {
    const form = new FormData();
    form.append('title', 'Nosferatu');
    const missing = await post(form);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 400, message: expect.stringContaining('poster') });
    form.append('poster', 'not a file');
    expect((await post(form)).status).toBe(400);
  });

  it('refuses a field of the wrong type with 400', async () => {
    const form = poster();
    form.set('year', 'nineteen twenty-seven');
    const { status, body } = await post(form);
    expect(status).toBe(400);
    expect(body.message).toContain('year');
  });

  it('answers 413 in the spec error shape for a file past its maxLength', async () => {
    const { status, body } = await post(poster({ data: Buffer.alloc(4096, 1) }));
    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 413, message: expect.stringContaining('poster') });
  });

  it('answers 415 for a file part of a media type the encoding does not list', async () => {
    const { status, body } = await post(poster({ type: 'application/pdf' }));
    expect(status).toBe(415);
    expect(body).toMatchObject({ code: 415, message: expect.stringContaining('image/png') });
  });

  it('answers 415 for a multipart body sent to a JSON-only operation', async () => {
    const form = new FormData();
    form.append('text', 'hello');
    const { status, body } = await post(form, '/api/notes');
    expect(status).toBe(415);
    expect(body).toMatchObject({ code: 415 });
  });

  it('answers 400 for a body that is not valid multipart', async () => {
    const response = await fetch(`${running.url}/api/posters`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunfinished',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 400 });
  });
});
