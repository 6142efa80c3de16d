import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './vitest.sequencer.ts';

// One run over every workspace. Tests that start servers or bundles are slow-ish,
// so timeouts are generous; parallelism is capped for a 2-core machine.
export default defineConfig({
  test: {
    include: [
      'actions/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'bootstrap/test/**/*.test.ts',
      'checks/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Each worker process runs many files, one after another: a fresh process and module graph per file cost
    // about 80 of the suite's CPU-seconds. Tests therefore leave no state behind (environment variables through
    // vi.stubEnv, timers restored, servers closed), and per-process singletons such as @actions/core's summary
    // file are shared on purpose (kit/src/testing/run-source.ts).
    isolate: false,
    reporters: ['default'],
    sequence: { sequencer: LongestFirstSequencer },
    // Off in `npm test`; `npm run test:coverage` (CI, the release and SonarCloud) turns it on. The thresholds sit a
    // little under what the suites reach, and fail the run when actions/ or services/ fall below them.
    coverage: {
      provider: 'v8',
      reporter: ['text-summary', 'lcov'],
      reportsDirectory: 'coverage',
      include: ['actions/*/src/**/*.ts', 'services/*/src/**/*.ts'],
      exclude: [
        // Test helpers, and entry files that only call run() (their behaviour is tested through run()).
        'actions/kit/src/testing/**',
        'actions/*/src/index.ts',
        'actions/render-task-definition/src/cli.ts',
      ],
      thresholds: {
        'actions/**': { statements: 89, branches: 79, functions: 92, lines: 90 },
        'services/**': { statements: 85, branches: 77, functions: 87, lines: 86 },
      },
    },
  },
});
