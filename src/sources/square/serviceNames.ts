/**
 * Names for the service variations bookings point at, from the catalog (deleted services included).
 * The catalog only names services: without the scope for it the fetch goes on and services keep their
 * ids (said once per run).
 */
import { z } from 'zod';
import type { DimensionEntry } from '../../core/model.js';
import { serviceName } from './normalize.js';
import { MissingScopeError } from './squareApi.js';
import type { SquareRun } from './squareRun.js';
import { squareCatalogObject, squareError } from './wire.js';

const BATCH_LIMIT = 100;

/** BatchRetrieveCatalogObjects. */
const batchRetrieved = z.looseObject({
  objects: z.array(z.unknown()).optional(),
  related_objects: z.array(z.unknown()).optional(),
  errors: z.array(squareError).optional(),
});

export async function resolveServiceNames(run: SquareRun, ids: Iterable<string | undefined>): Promise<void> {
  const known = await run.knownServices();
  const unknown = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== '' && !known.has(id)))];
  for (let i = 0; i < unknown.length; i += BATCH_LIMIT) {
    const chunk = unknown.slice(i, i + BATCH_LIMIT);
    // Asked once per run: an id the catalog does not know is not asked for again until the next run.
    for (const id of chunk) known.add(id);
    if (run.catalogForbidden) continue;
    let raw: unknown;
    try {
      raw = await run.api.post('/v2/catalog/batch-retrieve', {
        object_ids: chunk,
        include_related_objects: true,
        // Retired services are deleted from the catalog, but old bookings still name them.
        include_deleted_objects: true,
      });
    } catch (error) {
      if (!(error instanceof MissingScopeError)) throw error;
      run.catalogForbidden = true;
      run.log.warn(`square services: the token lacks ${error.scope}; services keep their ids as names`);
      continue;
    }
    const body = run.api.check.one('services', batchRetrieved, raw);
    const objects = run.api.check.page('services', squareCatalogObject, body.objects ?? []);
    const related = run.api.check.page('services', squareCatalogObject, body.related_objects ?? []);
    const items = new Map([...objects, ...related].filter((o) => o.type === 'ITEM').map((o) => [o.id, o]));
    const entries: DimensionEntry[] = [];
    for (const object of objects) {
      if (object.type !== 'ITEM_VARIATION' || !chunk.includes(object.id)) continue;
      entries.push({ id: object.id, name: serviceName(object, items.get(object.item_variation_data?.item_id ?? '')) });
    }
    if (entries.length > 0) await run.putDimensions('services', entries);
  }
}
