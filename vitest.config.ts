import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the built binary and sandboxes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
