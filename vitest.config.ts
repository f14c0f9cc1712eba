import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only catch hangs: a loaded 2-core CI machine can make a healthy test ten times
    // slower than a quiet one, and no test may fail for that.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Most tests wait on git and child processes rather than compute: three workers keep two
    // cores busy (vitest's default on a 2-core machine is one, which halves the suite's speed).
    maxWorkers: 3,
    setupFiles: ['test/setup/no-network.ts'],
    globalSetup: ['vitest.global-setup.ts'],
  },
});
