import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Packaging rebuilds dist/ and runs electron-builder: its own step of `npm test`, after the
    // unit tests and before the renderer is built for the end-to-end tests (`npm run test:packaging`).
    exclude: process.env.NETCANVAS_PACKAGING ? [] : ['test/unit/packaging/**'],
    environment: 'node',
    // Runs, project files, recovery copies and the recent list of tests stay out of the user's home.
    env: {
      NETCANVAS_RUNS_DIR: path.join(os.tmpdir(), `netcanvas-test-runs-${process.pid}`),
      NETCANVAS_PROJECTS_DIR: path.join(os.tmpdir(), `netcanvas-test-projects-${process.pid}`),
      NETCANVAS_STATE_DIR: path.join(os.tmpdir(), `netcanvas-test-state-${process.pid}`),
    },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Trainer processes load all of MNIST; two at a time is what a 2-core machine affords.
    maxWorkers: 2,
  },
});
