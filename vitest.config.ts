import { defineConfig } from 'vitest/config';

// One run over every workspace. Tests that start servers or bundles are slow-ish,
// so timeouts are generous; parallelism is capped for a 2-core machine.
export default defineConfig({
  test: {
    include: ['actions/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
