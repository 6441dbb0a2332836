/**
 * The tests' ca.config.json (tests/helpers/config.ts): Square at 100 requests per second with a test's
 * own settings merged over it, and every test file that runs `ca` against a Square sandbox writing its
 * config through it (so no test pays Square's default pace of 10 a second by forgetting it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { TEST_SQUARE_REQUESTS_PER_SECOND, testConfig } from '../helpers/config.js';

describe('testConfig', () => {
  // 100 is square.maxRequestsPerSecond's maximum: above it every run against Square would exit 2.
  it("paces Square at the settings' maximum", () => {
    expect(testConfig()).toEqual({ square: { maxRequestsPerSecond: TEST_SQUARE_REQUESTS_PER_SECOND } });
  });

  it("merges a test's own settings over it, section by section; a test about pacing sets its own pace", () => {
    expect(testConfig({ square: { locationConcurrency: 1 }, lightspeed: { timeoutMs: 400 }, defaultRegion: 'US' })).toEqual({
      square: { maxRequestsPerSecond: 100, locationConcurrency: 1 },
      lightspeed: { timeoutMs: 400 },
      defaultRegion: 'US',
    });
    expect(testConfig({ square: { maxRequestsPerSecond: 10 } })).toEqual({ square: { maxRequestsPerSecond: 10 } });
    expect(testConfig({ lightspeed: { onlineSources: ['WEB'] } })).toMatchObject({ lightspeed: { onlineSources: ['WEB'] } });
  });
});

describe('every test that runs `ca` against a Square sandbox writes its config through testConfig', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : []));
  const spawning = files(join(REPO, 'tests')).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return /startSquareSandbox|startSandboxes\(/.test(text) && /runCa\(|runMain\(|spawn\(/.test(text);
  });

  it('finds the files to check', () => {
    expect(spawning.length).toBeGreaterThan(10);
  });

  it.each(spawning.map((file) => relative(REPO, file)))('%s', (file) => {
    const text = readFileSync(join(REPO, file), 'utf8');
    // Through the helper itself, or the fault suite's workdir(), which uses it.
    expect(/writeTestConfig\(|testConfig\(|\bworkdir\(/.test(text), `${file} starts a Square sandbox and runs ca without testConfig`).toBe(true);
  });
});
