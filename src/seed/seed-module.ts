// Finds an app's seed function: the default export, or the export named `seed`, of seed.ts (or
// .mts, .js, .mjs) in the app folder. An optional `notice` export is a line shown after every
// run, seeded or skipped (demo logins, say).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { importAppModule } from '../app-module.ts';
import { SEED_FAILED } from '../errors.ts';
import type { SeedFunction } from './seed-types.ts';

export const SEED_MODULE_CANDIDATES = ['seed.ts', 'seed.mts', 'seed.js', 'seed.mjs'] as const;

export interface SeedModule {
  seed: SeedFunction;
  notice?: string;
}

/** The app's seed module, if it has one. */
export const seedModuleFile = (appDir: string): string | undefined =>
  SEED_MODULE_CANDIDATES.map((name) => path.join(appDir, name)).find(existsSync);

export async function loadSeedModule(appDir: string): Promise<SeedModule> {
  const file = seedModuleFile(appDir);
  if (!file) {
    throw SEED_FAILED(
      `no seed module in ${appDir}: add seed.ts exporting a function of the seed context (export default defineSeed(async (ctx) => …))`,
    );
  }
  const module = await importAppModule(file);
  const seed = module.default ?? module.seed;
  if (typeof seed !== 'function') {
    throw SEED_FAILED(`${path.basename(file)} exports no function as default or as "seed"`, {
      pointer: path.basename(file),
    });
  }
  const notice = typeof module.notice === 'string' ? module.notice : undefined;
  return { seed: seed as SeedFunction, ...(notice ? { notice } : {}) };
}
