import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the reliability suite (faults under load, crashes,
// hostile input). Its files run one at a time: each one loads the machine, and
// what they measure (how long a denied license stayed allowed) must not be
// another file's noise.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['./test/support/build-cli.ts'],
    setupFiles: ['./test/reliability/support/suite-setup.ts'],
    reporters: ['default', './test/support/summary-line-reporter.ts'],
  },
});
