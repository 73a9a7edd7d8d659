// The app under check, built in this process on a throwaway SQLite database with its migrations
// applied (and its seed, when asked), and a known JWT secret so tokens with fewer scopes can be made.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, createApp } from '../app.ts';
import type { ProgressReporter } from '../seed/progress.ts';
import { runSeed } from '../seed/run-seed.ts';
import type { CheckOptions } from './check-types.ts';

const QUIET: ProgressReporter = { log() {}, start: () => ({ update() {}, finish() {} }) };

export interface InProcessApp {
  app: App;
  jwtSecret: string;
  close(): Promise<void>;
}

export async function buildInProcessApp(options: CheckOptions): Promise<InProcessApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-check-'));
  const jwtSecret = options.overrides?.jwtSecret ?? randomBytes(32).toString('hex');
  const overrides = {
    ...options.overrides,
    // A throwaway SQLite file unless the caller hands in a database of its own (an empty one).
    databaseUrl: options.overrides?.databaseUrl ?? `sqlite:${path.join(dir, 'check.db')}`,
    autoMigrate: true,
    redisUrl: undefined,
    jwtSecret,
    jwtJwksUrl: undefined,
  };
  const env = options.env ?? process.env;
  let app: App | undefined;
  try {
    app = await createApp({
      ...(options.appDir ? { appDir: options.appDir } : {}),
      env,
      overrides,
      logger: pino({ level: 'silent' }),
      workers: false,
    });
    if (options.seedData) {
      await runSeed({
        ...(options.appDir ? { appDir: options.appDir } : {}),
        env,
        overrides,
        progress: QUIET,
      });
    }
  } catch (error) {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const built = app;
  return {
    app: built,
    jwtSecret,
    async close() {
      try {
        await built.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
