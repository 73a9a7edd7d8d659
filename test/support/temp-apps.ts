// Throwaway app folders holding one inline spec, for suites that check how an app starts or
// refuses to; each folder, and anything handed to `removeAfterTest`, is removed when the test ends.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export interface TempApps {
  /** A new app folder whose `openapi.yaml` is `spec`, with the package.json of an ES module app. */
  tempApp(spec: string): string;
  /** Runs `remove` when the current test ends, with the temp apps' own removal. */
  removeAfterTest(remove: () => void): void;
}

/** Registers the removal hook in the calling suite; call once at its top level. */
export function useTempApps(): TempApps {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    tempApp(spec) {
      const dir = mkdtempSync(path.join(tmpdir(), 'specstack-app-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(path.join(dir, 'openapi.yaml'), spec);
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      return dir;
    },
    removeAfterTest(remove) {
      cleanups.push(remove);
    },
  };
}
