/** Throwaway working folders and a logger that remembers what it was told, for the ecom import tests. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../src/io/log.js';
import { Store } from '../../../src/io/store.js';
import { importEcom, type EcomMapping, type ImportSummary } from '../../../src/sources/ecom/index.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/ecom');
export const fixture = (name: string) => join(FIXTURES, name);

export interface Workdir {
  dir: string;
  dataDir: string;
  store: Store;
  messages: string[];
  log: Logger;
  run(file: string, mapping: EcomMapping, now: number): Promise<ImportSummary>;
}

const created: string[] = [];

export async function workdir(): Promise<Workdir> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-ecom-'));
  created.push(dir);
  const dataDir = join(dir, 'data');
  const store = new Store(join(dataDir, 'cache'));
  const messages: string[] = [];
  const log: Logger = {
    info: (m) => messages.push(`info: ${m}`),
    warn: (m) => messages.push(`warn: ${m}`),
    debug: (m) => messages.push(`debug: ${m}`),
  };
  return {
    dir,
    dataDir,
    store,
    messages,
    log,
    run: (file, mapping, now) => importEcom({ store, file, mapping, dataDir, now, defaultRegion: 'US', log }),
  };
}

export async function removeWorkdirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Every file of the ecom cache, by name. */
export async function cacheFiles(dataDir: string): Promise<Record<string, Buffer>> {
  const dir = join(dataDir, 'cache', 'ecom');
  const out: Record<string, Buffer> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name));
  return out;
}

export async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}
