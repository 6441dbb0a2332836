/**
 * `ca status`, text and --json, after real `ca update` runs of the binary against both sandboxes (fresh,
 * failed) and with an old, hand-written timestamp, run log or last fetch of one source (stale), since
 * the binary's clock cannot be set. Status itself runs in-process (`runMain`: the binary's command
 * table, output and exit codes, without starting Node); cron.test.ts runs it as the binary.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { readCsv, removeDir, runCa, runMain, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const HOUR = 3_600_000;
const REVOKED = 'revoked-token-3c2b1a0f9e8d';
/** What a refused Lightspeed token makes `ca update` record: the first request names the endpoint. */
const refused = (endpoint: string) => `GET /api/2.0/${endpoint}: the service refused the credentials (HTTP 401)`;

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
const dirs: string[] = [];

const env = (overrides: Record<string, string> = {}) => ({
  LIGHTSPEED_BASE_URL: lightspeed.url,
  LIGHTSPEED_TOKEN: lightspeed.token,
  SQUARE_BASE_URL: square.url,
  SQUARE_ACCESS_TOKEN: square.token,
  ...overrides,
});

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 11, customers: 60, historyDays: 40, salesPerDay: 6, currency: 'USD' });
  square = await startSquareSandbox({ seed: 12, customers: 30, historyDays: 40, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await Promise.all(dirs.map(removeDir));
});

async function update(dir: string, overrides: Record<string, string> = {}): Promise<number | null> {
  const run = await runCa(['update', '--quiet'], { cwd: dir, env: env(overrides) });
  return run.code;
}

async function runsIn(dir: string): Promise<{ started_at: string; outcome: string; error: string | null }[]> {
  const text = await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8');
  // A line torn by a killed run (one case writes one) is not a run.
  return text.trim().split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line));
}

/** A whole-second UTC time `hours` before now, as `.last_update_timestamp` holds it. */
function hoursAgo(hours: number): string {
  return new Date(Math.floor((Date.now() - hours * HOUR) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function handRun(startedAt: string, outcome: 'success' | 'failed', durationMs: number, error: string | null): string {
  const ended = new Date(Date.parse(startedAt) + durationMs).toISOString();
  return JSON.stringify({ run_id: `hand-${outcome}`, command: 'update', started_at: startedAt, ended_at: ended, duration_ms: durationMs, outcome, error, counts: {} }) + '\n';
}

interface Expected {
  code: number;
  state: string;
  problems: string[];
  lastUpdate: string | null;
  ageHours: number | null;
  maxAgeHours: number;
  cached: { lightspeed: boolean; square: boolean; ecom: boolean };
  /** Per source, when it is not simply `fresh` when cached and `not-used` when not. */
  sourceStates?: Partial<Record<'lightspeed' | 'square' | 'ecom', string>>;
  outcomes: string[];
  /** Lines the text output must contain, in full. */
  lines: string[];
  /** `lines` is the whole text output. */
  exact?: boolean;
  masterRows: 'from-csv' | null;
}

interface Case {
  name: string;
  /** Brings a fresh folder into the state under test; returns what the expectations need. */
  prepare(dir: string): Promise<Expected>;
}

/** `.last_update_timestamp` as `ca status` reports it (with milliseconds). */
const lastUpdate = async (dir: string) => (await readFile(join(dir, '.last_update_timestamp'), 'utf8')).trim().replace(/Z$/, '.000Z');

/** What a successful update right after a failed one shows. */
const freshAfterFailed = (iso: string): Expected => ({
  code: 0,
  state: 'fresh',
  problems: [],
  lastUpdate: iso,
  ageHours: 0,
  maxAgeHours: 36,
  cached: { lightspeed: true, square: true, ecom: false },
  outcomes: ['success', 'failed'],
  lines: ['FRESH'],
  masterRows: 'from-csv',
});

const missingMaster = (dir: string) => `the master ${join(dir, 'data', 'customer_analytics_master.csv')} is missing`;

const cases: Case[] = [
  {
    name: 'never-run: an empty folder',
    prepare: async () => ({
      code: 9,
      state: 'never-run',
      problems: ['no `ca update` has run here yet'],
      lastUpdate: null,
      ageHours: null,
      maxAgeHours: 36,
      cached: { lightspeed: false, square: false, ecom: false },
      outcomes: [],
      lines: [
        'NEVER-RUN: no `ca update` has run here yet',
        'last update: never',
        'master: - rows, as of -, written -',
        'lightspeed: not used',
        'square: not used',
        'ecom: not used',
        'api versions: Lightspeed X-Series 2.0, Square-Version 2025-08-20',
        'last runs:',
      ],
      exact: true,
      masterRows: null,
    }),
  },
  {
    name: 'fresh: right after a successful update',
    prepare: async (dir) => {
      expect(await update(dir)).toBe(0);
      const iso = await lastUpdate(dir);
      return {
        code: 0,
        state: 'fresh',
        problems: [],
        lastUpdate: iso,
        ageHours: 0,
        maxAgeHours: 36,
        cached: { lightspeed: true, square: true, ecom: false },
        outcomes: ['success'],
        lines: ['FRESH', `last update: ${iso} (0 h ago; limit 36 h)`, 'ecom: not used', 'last runs:'],
        masterRows: 'from-csv',
      };
    },
  },
  {
    name: 'missing: a successful update in time, then its master and meta deleted',
    prepare: async (dir) => {
      expect(await update(dir)).toBe(0);
      await rm(join(dir, 'data', 'customer_analytics_master.csv'));
      await rm(join(dir, 'data', 'customer_analytics_master.meta.json'));
      const iso = await lastUpdate(dir);
      return {
        code: 9,
        state: 'missing',
        problems: [missingMaster(dir)],
        lastUpdate: iso,
        ageHours: 0,
        maxAgeHours: 36,
        cached: { lightspeed: true, square: true, ecom: false },
        outcomes: ['success'],
        lines: [`MISSING: ${missingMaster(dir)}`],
        masterRows: null,
      };
    },
  },
  {
    name: 'failed: the last update was refused, the one before succeeded',
    prepare: async (dir) => {
      expect(await update(dir)).toBe(0);
      const iso = await lastUpdate(dir);
      expect(await update(dir, { LIGHTSPEED_TOKEN: REVOKED })).toBe(3);
      const failed = (await runsIn(dir)).at(-1)!;
      // Every run first reads the retailer (the token and the store check).
      const problem = `the last update (${failed.started_at}) failed: ${refused('retailer')}`;
      return {
        code: 9,
        state: 'failed',
        problems: [problem],
        lastUpdate: iso,
        ageHours: 0,
        maxAgeHours: 36,
        cached: { lightspeed: true, square: true, ecom: false },
        outcomes: ['failed', 'success'],
        lines: [`FAILED: ${problem}`, 'last runs:'],
        masterRows: 'from-csv',
      };
    },
  },
  {
    name: 'failed: the very first update was refused, so there is no master either',
    prepare: async (dir) => {
      // Both tokens refused: the sources are fetched at once, and a good Square token would fill its
      // cache while Lightspeed fails. The error reported is the first source's (Lightspeed's).
      expect(await update(dir, { LIGHTSPEED_TOKEN: REVOKED, SQUARE_ACCESS_TOKEN: REVOKED })).toBe(3);
      const failed = (await runsIn(dir)).at(-1)!;
      // The first request is the retailer (the token and the store check).
      const problems = [`the last update (${failed.started_at}) failed: ${refused('retailer')}`, missingMaster(dir)];
      return {
        code: 9,
        state: 'failed',
        problems,
        lastUpdate: null,
        ageHours: null,
        maxAgeHours: 36,
        cached: { lightspeed: false, square: false, ecom: false },
        outcomes: ['failed'],
        lines: [`FAILED: ${problems.join('; ')}`, 'last update: never', 'master: - rows, as of -, written -'],
        masterRows: null,
      };
    },
  },
  {
    name: 'fresh again: a successful update after a failed one',
    prepare: async (dir) => {
      expect(await update(dir, { LIGHTSPEED_TOKEN: REVOKED })).toBe(3);
      expect(await update(dir)).toBe(0);
      return freshAfterFailed(await lastUpdate(dir));
    },
  },
  {
    name: 'fresh: a successful update after a run log line torn by a killed run',
    prepare: async (dir) => {
      expect(await update(dir, { LIGHTSPEED_TOKEN: REVOKED })).toBe(3);
      // What a run killed half-way through appending its record leaves: no closing brace, no newline.
      await appendFile(join(dir, 'data', 'runs.ndjson'), '{"run_id":"killed","command":"update","started_at":"2025-');
      expect(await update(dir)).toBe(0);
      return freshAfterFailed(await lastUpdate(dir));
    },
  },
  {
    name: 'stale: a real update whose timestamp is 3 days old, with a 48 h limit',
    prepare: async (dir) => {
      expect(await update(dir)).toBe(0);
      await writeTestConfig(dir, { status: { maxAgeHours: 48 } });
      const stamp = hoursAgo(72);
      await writeFile(join(dir, '.last_update_timestamp'), stamp + '\n');
      const iso = stamp.replace(/Z$/, '.000Z');
      const problem = 'the data is 72.0 h old, more than the 48 h allowed (status.maxAgeHours)';
      return {
        code: 9,
        state: 'stale',
        problems: [problem],
        lastUpdate: iso,
        ageHours: 72,
        maxAgeHours: 48,
        cached: { lightspeed: true, square: true, ecom: false },
        outcomes: ['success'],
        lines: [`STALE: ${problem}`, `last update: ${iso} (72 h ago; limit 48 h)`],
        masterRows: 'from-csv',
      };
    },
  },
  {
    name: 'stale: the last update succeeded but had no Square token, and Square was last fetched 3 days ago',
    prepare: async (dir) => {
      expect(await update(dir)).toBe(0);
      // The Square fetch of that first update, moved 3 days back (the binary's clock cannot be set).
      const freshnessPath = join(dir, 'data', 'cache', 'freshness.json');
      const freshness = JSON.parse(await readFile(freshnessPath, 'utf8'));
      const fetchedAt = hoursAgo(72).replace('Z', '.000Z');
      freshness.square.last_success_at = fetchedAt;
      await writeFile(freshnessPath, JSON.stringify(freshness));
      // With the Lightspeed token only: the update succeeds, says Square was not fetched, and recomputes.
      const run = await runCa(['update'], { cwd: dir, env: { LIGHTSPEED_BASE_URL: lightspeed.url, LIGHTSPEED_TOKEN: lightspeed.token } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`warning: square is not fetched: SQUARE_ACCESS_TOKEN is not set; its data stays as of its last fetch (${fetchedAt})`);
      const iso = await lastUpdate(dir);
      const problem = 'square was last fetched 72.0 h ago, more than the 36 h allowed (status.maxAgeHours)';
      return {
        code: 9,
        state: 'stale',
        problems: [problem],
        lastUpdate: iso,
        ageHours: 0,
        maxAgeHours: 36,
        cached: { lightspeed: true, square: true, ecom: false },
        sourceStates: { square: 'stale' },
        outcomes: ['success', 'success'],
        lines: [`STALE: ${problem}`, `last update: ${iso} (0 h ago; limit 36 h)`, `square: STALE, last fetch ${fetchedAt} (72 h ago; limit 36 h)`],
        masterRows: 'from-csv',
      };
    },
  },
  {
    name: 'stale: a hand-written run log (failed, then succeeded 3 days ago) and no master',
    prepare: async (dir) => {
      const succeeded = hoursAgo(72);
      const failedAt = hoursAgo(96);
      await mkdir(join(dir, 'data'), { recursive: true });
      await writeFile(join(dir, '.last_update_timestamp'), succeeded + '\n');
      await writeFile(
        join(dir, 'data', 'runs.ndjson'),
        handRun(failedAt.replace('Z', '.000Z'), 'failed', 200, 'network down') + handRun(succeeded.replace('Z', '.000Z'), 'success', 1500, null),
      );
      const problems = ['the data is 72.0 h old, more than the 36 h allowed (status.maxAgeHours)', missingMaster(dir)];
      const iso = succeeded.replace('Z', '.000Z');
      return {
        code: 9,
        state: 'stale',
        problems,
        lastUpdate: iso,
        ageHours: 72,
        maxAgeHours: 36,
        cached: { lightspeed: false, square: false, ecom: false },
        outcomes: ['success', 'failed'],
        lines: [
          `STALE: ${problems.join('; ')}`,
          `last update: ${iso} (72 h ago; limit 36 h)`,
          'master: - rows, as of -, written -',
          'last runs:',
          `  ${iso}  success    1.5 s  `,
          `  ${failedAt.replace('Z', '.000Z')}  failed     0.2 s  network down`,
        ],
        masterRows: null,
      };
    },
  },
];

describe('ca status', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const dir = await tempDir('ca-status-');
      dirs.push(dir);
      await writeTestConfig(dir);
      const expected = await testCase.prepare(dir);

      // `ca status` reads files and prints: in-process (runMain), the same command table, output and exit
      // codes as the binary; the updates that prepare each case are real processes.
      const text = await runMain(['status'], { cwd: dir });
      const json = await runMain(['status', '--json'], { cwd: dir });
      expect(text.code, text.stderr).toBe(expected.code);
      expect(json.code, json.stderr).toBe(expected.code);

      const status = JSON.parse(json.stdout);
      // A monitor's summary first; the fetchers' cursors last, under `internal`.
      expect(Object.keys(status).slice(0, 5)).toEqual(['state', 'ok', 'age_hours', 'sources', 'last_error']);
      expect(Object.keys(status).at(-1)).toBe('internal');
      expect(status.state).toBe(expected.state);
      expect(status.ok).toBe(expected.code === 0);
      expect(status.problems).toEqual(expected.problems);
      expect(status.last_update_timestamp).toBe(expected.lastUpdate);
      expect(status.age_hours).toBe(expected.ageHours);
      expect(status.max_age_hours).toBe(expected.maxAgeHours);
      const lastRun = expected.outcomes.length ? (await runsIn(dir)).at(-1)! : undefined;
      expect(status.last_error).toBe(lastRun?.outcome === 'failed' ? lastRun.error : null);
      for (const source of ['lightspeed', 'square'] as const) {
        expect(status.internal[source].cached).toBe(expected.cached[source]);
        const state = expected.sourceStates?.[source] ?? (expected.cached[source] ? 'fresh' : 'not-used');
        expect(status.sources[source]).toMatchObject({ state, max_age_hours: expected.maxAgeHours });
        if (expected.cached[source]) expect(status.internal[source].sync_state).toEqual(expect.any(Object));
      }
      expect(status.sources.ecom).toEqual({ state: 'not-used', last_success_at: null, age_hours: null, max_age_hours: expected.maxAgeHours });
      expect(status.api_versions).toEqual({ lightspeed: '2.0', square: '2025-08-20' });
      expect(status.last_runs.map((r: { outcome: string }) => r.outcome)).toEqual(expected.outcomes);
      expect(status.master.path).toBe(join(dir, 'data', 'customer_analytics_master.csv'));
      if (expected.masterRows === 'from-csv') {
        const rows = (await readCsv(join(dir, 'data', 'customer_analytics_master.csv'))).length;
        expect(rows).toBeGreaterThan(0);
        expect(status.master.rows).toBe(rows);
        const lines = text.stdout.split('\n');
        expect(lines).toContain(`master: ${rows} rows, as of ${status.master.as_of}, written ${status.master.written_at}`);
      } else {
        expect(status.master).toMatchObject({ rows: null, as_of: null, written_at: null, size_bytes: null });
      }

      const lines = text.stdout.split('\n');
      expect(lines[0]).toBe(expected.lines[0]);
      if (expected.exact) expect(text.stdout).toBe(expected.lines.join('\n') + '\n');
      for (const line of expected.lines) expect(lines).toContain(line);
      expect(lines.filter((l) => l.startsWith('  ')).length).toBe(expected.outcomes.length);
      expect(text.stdout + text.stderr + json.stdout).not.toContain(REVOKED);
    });
  }
});
