/**
 * Test-only: `CA_TEST_CRASH_AT=<point>:<n>` kills this process with SIGKILL (no cleanup, no handlers)
 * the n-th time it reaches `<point>`, so crash tests land exactly where they mean to instead of at a
 * share of a measured wall time. Without the variable every call is a no-op. docs/guarantees.md lists
 * the points.
 */
export const CRASH_POINTS = {
  /** A page's records are in the store's log (written and fsynced); its bookmark has not moved yet. */
  append: 'after a store append',
  /** A fetcher's bookmark (state.json) has just been saved. */
  checkpoint: 'after a checkpoint (state.json) write',
  /** A table's log is folded into its new base (renamed into place); the log is not emptied yet. */
  compact: 'after a new base is in place, before its log is emptied',
  /** A sort that does not fit in memory has just written a sorted run to disk (src/io/externalSort.ts). */
  spill: 'after a sorted run is written to disk',
  /** A file is written whole to its temp file and fsynced; the rename over the target comes next. */
  rename: 'before an atomic rename',
  /** The run is about to write `.last_update_timestamp`. */
  timestamp: 'before the timestamp write',
  /** A master (or buyers file) is copied whole into the archive's temp file; its rename comes next. */
  archive: 'before an archive copy is renamed into place',
} as const;

export type CrashPointName = keyof typeof CRASH_POINTS;

const VARIABLE = 'CA_TEST_CRASH_AT';
let target: { point: CrashPointName; n: number } | null | undefined;
let reached = 0;

function parse(value: string | undefined): { point: CrashPointName; n: number } | null {
  if (value === undefined || value === '') return null;
  const match = /^([a-z]+):([1-9]\d*)$/.exec(value);
  if (!match || !(match[1] in CRASH_POINTS)) {
    // A misspelt point would let a crash test pass without crashing: refuse instead.
    throw new Error(`${VARIABLE}=${value}: expected <point>:<n> with point one of ${Object.keys(CRASH_POINTS).join(', ')} and n >= 1`);
  }
  return { point: match[1] as CrashPointName, n: Number(match[2]) };
}

/** Kills the process here if `CA_TEST_CRASH_AT` names this point and this is its n-th visit. */
export function crashPoint(point: CrashPointName): void {
  if (target === undefined) target = parse(process.env[VARIABLE]);
  if (target === null || target.point !== point) return;
  reached++;
  if (reached === target.n) process.kill(process.pid, 'SIGKILL');
}
