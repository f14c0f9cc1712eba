import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only catch hangs: a loaded 2-core CI machine can make a healthy test ten times
    // slower than a quiet one, and no test may fail for that.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Most tests wait on git and child processes rather than compute: one worker more than the
    // cores keeps them busy (vitest's default is one less, a single worker on a 2-core machine).
    maxWorkers: availableParallelism() + 1,
    setupFiles: ['test/setup/no-network.ts'],
    globalSetup: ['vitest.global-setup.ts'],
  },
});
