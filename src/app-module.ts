// Imports an app's own modules (handlers, seed). Apps are ES modules: a .ts or .js file under a
// package.json without `"type": "module"` would be compiled as CommonJS and fail with a confusing
// error deep in the loader, so the fault is named here instead.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageDirOf } from './compiled-typescript.ts';
import { APP_MODULE_LOAD, APP_MODULE_TYPE } from './errors.ts';
import { importableUrl } from './typescript-loader.ts';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/**
 * The modules of one of the app's folders (handlers/, jobs/), relative to it and sorted, in the
 * order they are imported; none when the folder does not exist. Type declarations are not modules.
 */
export function appModuleFiles(dir: string, options: { recursive: boolean }): string[] {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a folder of the app
  if (!existsSync(dir)) return [];
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a folder of the app
  return readdirSync(dir, { recursive: options.recursive, encoding: 'utf8' })
    .filter((file) => MODULE_EXTENSIONS.has(path.extname(file)) && !file.endsWith('.d.ts'))
    .sort();
}

/** The nearest package.json above a file, or undefined. */
function nearestPackageJson(file: string): string | undefined {
  const dir = packageDirOf(file);
  return dir === undefined ? undefined : path.join(dir, 'package.json');
}

function isEsmScope(file: string): boolean {
  const packageJson = nearestPackageJson(file);
  if (!packageJson) return false;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- package.json files above a module of the app
    return JSON.parse(readFileSync(packageJson, 'utf8')).type === 'module';
  } catch {
    return false;
  }
}

export async function importAppModule(file: string): Promise<Record<string, unknown>> {
  const extension = path.extname(file);
  if ((extension === '.ts' || extension === '.js') && !isEsmScope(file)) {
    const packageJson = nearestPackageJson(file);
    throw APP_MODULE_TYPE(
      `${file} is loaded as an ES module, but ${packageJson ? `${packageJson} does not say "type": "module"` : 'no package.json above it says "type": "module"'}: add it (or name the file .mts)`,
    );
  }
  try {
    return (await import(await importableUrl(file))) as Record<string, unknown>;
  } catch (error) {
    // A syntax error or a throw at import time: name the module, keep the original as the cause.
    const reason = error instanceof Error ? error.message : String(error);
    throw APP_MODULE_LOAD(`${file} failed to load: ${reason}`, { cause: error });
  }
}
