// A new app's package.json: specstack as its one dependency, its scripts, and the tools its tests,
// lint and type check run on, pinned to the versions specstack itself is built and tested with.

import { existsSync } from 'node:fs';
import path from 'node:path';

/** The fields of specstack's own package.json that a new app takes from it. */
export interface FrameworkPackage {
  version: string;
  engines?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

export const APP_DEV_TOOLS = ['@biomejs/biome', '@types/node', 'typescript', 'vitest'] as const;

/**
 * What the app's `specstack` dependency says: `^<version>` of the running specstack unless asked
 * otherwise; a packed tarball (`specstack-0.1.0.tgz`) is written as a `file:` path.
 */
export function specstackDependency(framework: FrameworkPackage, asked?: string): string {
  if (!asked) return `^${framework.version}`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the package path `specstack new` was given
  if (asked.endsWith('.tgz') && existsSync(asked)) return `file:${path.resolve(asked)}`;
  return asked;
}

export function appPackageJson(
  name: string,
  framework: FrameworkPackage,
  dependency: string,
): string {
  const devDependencies = Object.fromEntries(
    APP_DEV_TOOLS.map((tool) => [tool, framework.devDependencies?.[tool] ?? 'latest']),
  );
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    ...(framework.engines ? { engines: framework.engines } : {}),
    scripts: {
      start: 'specstack migrate up && specstack start',
      dev: 'specstack dev',
      test: 'vitest run',
      lint: 'biome check .',
      format: 'biome check --write .',
      typecheck: 'tsc --noEmit',
    },
    dependencies: { specstack: dependency },
    devDependencies,
    // npm asks which packages may run install scripts: better-sqlite3 builds its native module.
    ...(framework.allowScripts ? { allowScripts: framework.allowScripts } : {}),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
