// How the installed package imports an app's TypeScript modules (handlers, jobs, seed): compiled
// to JavaScript first (compiled-typescript.ts), or, where that cannot be done, through tsx's ESM
// hooks, registered the first time they are needed. Run from the sources (this file itself a .ts
// module, under tsx or vitest), whatever loaded specstack already loads TypeScript.

import { pathToFileURL } from 'node:url';
import { compileTypeScript, isTypeScript, NotCompilable } from './compiled-typescript.ts';

const loadsTypeScript = import.meta.url.endsWith('.ts');

/** The URL to import for an app's module: itself, or its compiled JavaScript. */
export async function importableUrl(file: string): Promise<string> {
  if (loadsTypeScript || !isTypeScript(file)) return pathToFileURL(file).href;
  try {
    return await compileTypeScript(file);
  } catch (error) {
    if (!(error instanceof NotCompilable)) throw error;
  }
  await ensureTypeScriptLoader();
  return pathToFileURL(file).href;
}

let registering: Promise<void> | undefined;

/** tsx's hooks, for a module that cannot be compiled ahead (one outside its package). */
function ensureTypeScriptLoader(): Promise<void> {
  registering ??= (async () => {
    // Apps import `specstack`: its module graph, loaded before the hooks, skips their round trips
    // to tsx's thread (about 0.7 s of CPU at start).
    await import('./index.ts');
    const { register } = await import('tsx/esm/api');
    register();
  })();
  return registering;
}
