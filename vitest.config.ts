import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite has its own configuration (vitest.chaos.config.ts, `npm run test:chaos`).
    exclude: ['test/reliability/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['./test/support/build-cli.ts'],
    setupFiles: ['./test/support/main-suite-setup.ts'],
    reporters: ['default', './test/support/summary-line-reporter.ts'],
  },
});
