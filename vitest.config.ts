import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Safety nets against a hang, not measurements: no test depends on time, and a machine busy with
    // other work may take several times as long as a quiet one.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // End-to-end tests spawn the built binary and sandboxes; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
