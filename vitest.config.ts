import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The examples import `specstack`: inside the repository, the sources under test (as for tsc,
  // tsconfig.json's paths, and the command, bin/source-hooks.js), not the compiled dist/.
  resolve: {
    alias: [
      {
        find: /^specstack$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites share PostgreSQL; each creates its own database, so files may run in parallel.
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
