// The generator is tooling: nothing a server imports reaches openapi-typescript. Follows the static
// value imports (type-only imports are erased; an `import()` in a function is loaded on demand, so
// it is not followed).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
const IMPORT = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm;

/** Every package a module reaches by static value imports, through the framework's own modules. */
function packagesReached(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier!.startsWith('.')) visit(path.resolve(path.dirname(file), specifier!));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return packages;
}

describe('what a server loads', () => {
  it('never reaches openapi-typescript: not from the app, the CLI every command loads, or the package entry', () => {
    // The walk is sound: the app reaches its HTTP server.
    expect(packagesReached(path.join(SRC, 'app.ts'))).toContain('fastify');
    for (const entry of ['app.ts', 'cli/main.ts', 'index.ts']) {
      const reached = [...packagesReached(path.join(SRC, entry))];
      expect(reached.filter((name) => name.startsWith('openapi-typescript'))).toEqual([]);
    }
  });
});
