// Lets the compiled package import an app's TypeScript modules (handlers, jobs, seed): Node 20
// cannot load .ts files, so tsx's ESM hooks are registered the first time one is imported. Run
// from the sources (this file itself a .ts module, under tsx or vitest), whatever loaded specstack
// already loads TypeScript, and nothing is registered.

import path from 'node:path';

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
const loadsTypeScript = import.meta.url.endsWith('.ts');

let registering: Promise<void> | undefined;

/** Resolves once `file` can be imported: at once unless it is TypeScript and no loader is there. */
export function ensureTypeScriptLoader(file: string): Promise<void> {
  if (loadsTypeScript || !TYPESCRIPT_EXTENSIONS.has(path.extname(file))) return Promise.resolve();
  registering ??= (async () => {
    // Apps import `specstack`: its module graph, loaded before the hooks, skips their round trips
    // to tsx's thread (about 0.7 s of CPU at start).
    await import('./index.ts');
    const { register } = await import('tsx/esm/api');
    register();
  })();
  return registering;
}
