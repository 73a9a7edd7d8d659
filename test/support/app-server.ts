// Starts a real app on 127.0.0.1 with a port of 0 and captures its log lines, for end-to-end suites.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { type App, createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { loadSpec } from '../../src/spec/index.ts';

export interface RunningApp {
  app: App;
  url: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startApp(
  appDir: string,
  databaseUrl: string,
  overrides: Partial<Config> = {},
): Promise<RunningApp> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = await createApp({
    appDir,
    env: {},
    overrides: { port: 0, host: '127.0.0.1', databaseUrl, autoMigrate: true, ...overrides },
    logger: pino({ level: overrides.logLevel ?? 'debug' }, sink),
  });
  const url = await app.listen();
  return { app, url, logs, close: () => app.close() };
}

/**
 * A throwaway copy of a fixture app with a first migration generated from its spec, so suites
 * never write into the repository.
 */
export async function prepareFixtureApp(
  sourceDir: string,
): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-app-'));
  cpSync(sourceDir, dir, { recursive: true });
  const spec = await loadSpec(path.join(dir, 'openapi.yaml'));
  await makeMigration({
    model: deriveModel(spec.document, spec.file),
    migrationsDir: path.join(dir, 'migrations'),
    name: 'init',
    specFile: spec.file,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a throwaway copy of a fixture app (see `prepareFixtureApp`); closing it removes the copy. */
export async function startFixtureApp(
  sourceDir: string,
  databaseUrl: string,
  overrides: Partial<Config> = {},
): Promise<RunningApp> {
  const fixture = await prepareFixtureApp(sourceDir);
  try {
    const server = await startApp(fixture.dir, databaseUrl, overrides);
    return {
      ...server,
      close: async () => {
        await server.close();
        fixture.remove();
      },
    };
  } catch (error) {
    fixture.remove();
    throw error;
  }
}

export async function request(
  base: string,
  method: string,
  urlPath: string,
  options: { json?: unknown; body?: string | Buffer; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely.
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${base}${urlPath}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
