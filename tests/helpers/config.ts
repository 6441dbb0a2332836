/**
 * The `ca.config.json` every test run against a Square sandbox writes (through `testConfig` or
 * `writeTestConfig`, never by hand): the Square client paces itself at `square.maxRequestsPerSecond`
 * (10 by default, as Square publishes no limits), which against the local sandbox is nearly all of a
 * run's time. Tests run it at the schema's maximum, 100; a test about pacing or concurrency says so by
 * giving its own value (`testConfig({ square: { maxRequestsPerSecond: 10 } })`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TEST_SQUARE_REQUESTS_PER_SECOND = 100;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `extra` over `base`, objects merged key by key (arrays and other values replaced). */
export function deepMerge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) out[key] = isObject(value) && isObject(out[key]) ? deepMerge(out[key] as Json, value) : value;
  return out;
}

/** The tests' config: Square at 100 requests per second, with `extra` merged over it. */
export function testConfig(extra: Json = {}): Json {
  return deepMerge({ square: { maxRequestsPerSecond: TEST_SQUARE_REQUESTS_PER_SECOND } }, extra);
}

/** Writes `testConfig(extra)` as `ca.config.json` in `dir` (or to `file`, relative to `dir`). */
export async function writeTestConfig(dir: string, extra: Json = {}, file = 'ca.config.json'): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(testConfig(extra)));
  return path;
}
