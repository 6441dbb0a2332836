import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that run `ca`'s code inside the test process only: no binary started, no module mocked. */
const IN_PROCESS = ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    // Which files: each project's `include` below (together, every tests/**/*.test.ts).
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
          name: 'in-process',
          include: IN_PROCESS,
          // Each file closes what it starts (sandboxes, PostgreSQL), so a worker process runs file after
          // file instead of a new process (and a new import of src/) per file, which cost more than most
          // unit files' tests.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['tests/**/*.test.ts'],
          // The real binary, crash points, module mocks, in-process `ca` runs (which set the umask) and a
          // browser: each file in a process of its own.
          exclude: [...configDefaults.exclude, ...IN_PROCESS],
        },
      },
    ],
  },
});
