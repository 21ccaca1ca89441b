import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Trainer processes load all of MNIST; two at a time is what a 2-core machine affords.
    maxWorkers: 2,
  },
});
