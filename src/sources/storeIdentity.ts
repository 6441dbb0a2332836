/**
 * Which store a source's cache holds (`data/cache/<source>/store.json`): the Lightspeed retailer or the
 * Square merchant the records came from. A fetch with a token for another store stops (exit 2) instead
 * of merging two shops' customers into one cache; `--full` starts the source over and records anew.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceName } from '../core/model.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { ConfigError, StateError } from '../io/errors.js';
import type { Store } from '../io/store.js';

export interface StoreIdentity {
  /** What tells one store from another: the Lightspeed retailer id, the Square merchant id. */
  id: string;
  /** How people know it: the Lightspeed domain prefix or base URL, the Square business name. */
  label: string;
}

const FILE = 'store.json';

export async function readStoreIdentity(store: Store, source: SourceName): Promise<StoreIdentity | undefined> {
  const path = join(store.sourceDir(source), FILE);
  const held = await store.readJson<Partial<StoreIdentity>>(path);
  if (held === undefined) return undefined;
  if (typeof held.id === 'string' && typeof held.label === 'string') return { id: held.id, label: held.label };
  throw new StateError(`${path}: not a store identity (edited by hand?)`, { hint: `fetch with --full to start ${source} over` });
}

/**
 * Stops when the cache holds another store's data; otherwise records `found` (a cache from before
 * identities were kept takes the store it is fetched from now).
 */
export async function checkStoreIdentity(store: Store, source: SourceName, found: StoreIdentity): Promise<void> {
  const held = await readStoreIdentity(store, source);
  if (held && held.id !== found.id) {
    throw new ConfigError(
      `${store.sourceDir(source)} holds ${describe(source, held)}, but the token reads ${describe(source, found)}: ` +
        `fetching would merge two shops' customers`,
      {
        hint: `to start over with this store, fetch it into a new folder: ca fetch ${source} --full --data-dir <new folder> ` +
          `(or fetch with --full here to replace the ${source} cache)`,
      },
    );
  }
  if (!held || held.label !== found.label) await writeStoreIdentity(store, source, found);
}

export async function writeStoreIdentity(store: Store, source: SourceName, identity: StoreIdentity): Promise<void> {
  await mkdir(store.sourceDir(source), { recursive: true });
  await writeFileAtomically(join(store.sourceDir(source), FILE), JSON.stringify(identity, null, 2) + '\n');
}

function describe(source: SourceName, identity: StoreIdentity): string {
  const kind = source === 'square' ? 'merchant' : 'retailer';
  return `"${identity.label}" (${kind} ${identity.id})`;
}
