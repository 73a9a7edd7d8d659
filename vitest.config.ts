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
    // A known BullMQ 5 race: a connection attempt pending when a Worker or Queue closes is re-raised
    // after close() removed its listeners (RedisConnection's `initializing.catch(emit)`), as an
    // unhandled rejection. The fault suites close apps while their private Redis is down, so the
    // refused connection to that private port is expected there; anything else still fails the run.
    onUnhandledError(error) {
      const { code, syscall, address, port } = error as Error & Record<string, unknown>;
      const privateRedisRefused =
        code === 'ECONNREFUSED' &&
        syscall === 'connect' &&
        address === '127.0.0.1' &&
        port !== 6379 &&
        port !== 5432;
      return !privateRedisRefused;
    },
  },
});
