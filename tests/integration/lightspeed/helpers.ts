/** Shared set-up for the Lightspeed integration tests: throwaway stores and a fetch with test defaults. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/io/log.js';
import { Store } from '../../../src/io/store.js';
import type { LightspeedSandbox, WireRecord } from '../../../src/sandbox/lightspeed/index.js';
import { fetchLightspeed, type LightspeedFetchOptions } from '../../../src/sources/lightspeed/index.js';

export const NOW = Date.UTC(2025, 5, 1, 12);

const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-lightspeed-'));
  dirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function fetchFrom(sandbox: LightspeedSandbox, store: Store, overrides: Partial<LightspeedFetchOptions> = {}) {
  return fetchLightspeed({
    store,
    baseUrl: sandbox.url,
    token: sandbox.token,
    full: false,
    now: Date.now,
    sleep: async () => {},
    log: silentLogger,
    ...overrides,
    settings: { maxRetries: 8, ...overrides.settings },
  });
}

/** Everything a fetch leaves in the store, in a comparable form. */
export async function storeContents(store: Store) {
  return {
    customers: await store.readAll('lightspeed', 'customers'),
    orders: await store.readAll('lightspeed', 'orders'),
    locations: sortById(await store.readDimensions('lightspeed', 'locations')),
    staff: sortById(await store.readDimensions('lightspeed', 'staff')),
  };
}

export function sortById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface StateFile {
  currency?: string;
  walkInCustomerIds: string[];
  activeRegisters: string[];
  streams: Record<string, { cursor: number }>;
}

export function cursors(state: StateFile | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(state?.streams ?? {}).map(([name, s]) => [name, s.cursor]));
}

export function maxVersion(records: readonly WireRecord[]): number {
  return records.reduce((max, r) => Math.max(max, r.version), 0);
}

/** Requests a version-cursor read of `n` changed records costs at `pageSize`: full pages, then one empty page. */
export function pagesFor(n: number, pageSize = 200): number {
  return Math.ceil(n / pageSize) + 1;
}

export const isClosedStatus = (status: unknown) => typeof status === 'string' && (status === 'CLOSED' || status.endsWith('_CLOSED'));
