import { defineConfig } from 'vitest/config';

/**
 * Three suites:
 * - unit: pure and model tests beside the code (`src/**\/*.test.ts`, `training/**\/*.test.ts`); no ../shared, no browser.
 * - data: tests that read ../shared/data (evaluation, smoke training, reference checks) in Node.
 * - browser: Chromium (Debian's /usr/bin/chromium via playwright-core) against the app served by Vite.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'training/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'data',
          include: ['tests/data/**/*.test.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
