import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Which files: each project's `include` below (tests/unit/, and every other tests/ folder).
    // Safety nets against a hang, not measurements: no test depends on time, and a machine busy with
    // other work may take several times as long as a quiet one.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // End-to-end tests spawn the built binary and sandboxes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Pure functions on data in memory: one worker process runs file after file, instead of a new
          // process (and a new import of src/) per file, which cost more than most of these files' tests.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tests/**/*.test.ts'],
          // Sandboxes, the real binary, PostgreSQL, a browser, module mocks and in-process `ca` runs (which
          // set the umask): each file in a process of its own.
          exclude: [...configDefaults.exclude, 'tests/unit/**'],
        },
      },
    ],
  },
});
