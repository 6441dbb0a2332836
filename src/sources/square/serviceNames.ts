/** Names for the service variations bookings point at, from the catalog (deleted services included). */
import type { DimensionEntry } from '../../core/model.js';
import { serviceName } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import type { SquareCatalogObject } from './squareTypes.js';

const BATCH_LIMIT = 100;

interface BatchRetrieveResponse {
  objects?: SquareCatalogObject[];
  related_objects?: SquareCatalogObject[];
}

export async function resolveServiceNames(run: SquareRun, ids: Iterable<string | undefined>): Promise<void> {
  const known = await run.knownServices();
  const unknown = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== '' && !known.has(id)))];
  for (let i = 0; i < unknown.length; i += BATCH_LIMIT) {
    const chunk = unknown.slice(i, i + BATCH_LIMIT);
    const body = await run.api.post<BatchRetrieveResponse>('/v2/catalog/batch-retrieve', {
      object_ids: chunk,
      include_related_objects: true,
      // Retired services are deleted from the catalog, but old bookings still name them.
      include_deleted_objects: true,
    });
    const all = [...(body.objects ?? []), ...(body.related_objects ?? [])];
    const items = new Map(all.filter((o) => o.type === 'ITEM').map((o) => [o.id, o]));
    const entries: DimensionEntry[] = [];
    for (const object of body.objects ?? []) {
      if (object.type !== 'ITEM_VARIATION' || !chunk.includes(object.id)) continue;
      entries.push({ id: object.id, name: serviceName(object, items.get(object.item_variation_data?.item_id ?? '')) });
    }
    if (entries.length > 0) await run.putDimensions('services', entries);
    // Asked once per run: an id the catalog does not know is not asked for again until the next run.
    for (const id of chunk) known.add(id);
  }
}
