/**
 * Customer ids that bookings and payments point at but the customer listings never showed: profiles
 * without a name, e-mail or phone (Square does not list them), profiles deleted since, and the
 * originals of a merge (retrieving one returns the surviving profile under its new id).
 */
import type { CustomerRecord } from '../../core/model.js';
import { customerTombstone, normalizeCustomer } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import type { SquareCustomer, SquareErrorItem } from './squareTypes.js';

/** BulkRetrieveCustomers takes at most this many ids. */
const BULK_LIMIT = 100;

interface BulkRetrieveResponse {
  responses?: Record<string, { customer?: SquareCustomer; errors?: SquareErrorItem[] }>;
}

/** Looks up the ids the store does not know yet. */
export async function resolveUnknownCustomers(run: SquareRun, ids: Iterable<string | undefined>): Promise<void> {
  const known = await run.knownCustomers();
  const unknown = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== '' && !known.has(id)))];
  await retrieve(run, unknown);
}

/**
 * Lists every profile and asks again about stored ones that are no longer listed: Square deletes
 * without tombstones, so this is how deletions and merges of quiet customers come to light.
 */
export async function reconcileCustomers(run: SquareRun): Promise<void> {
  const state = run.state.customers;
  if (!state) return;
  const dueAt = (state.reconciledAt ?? -Infinity) + run.settings.customerReconcileDays * 86_400_000;
  if (run.startedAt < dueAt) return;
  const listed = new Set<string>();
  const pages = run.api.pages<SquareCustomer>('customers', () => ({
    method: 'GET',
    path: '/v2/customers',
    query: { limit: run.settings.pageSize, sort_field: 'CREATED_AT', sort_order: 'ASC' },
  }));
  for await (const page of pages) for (const c of page) listed.add(c.id);
  const known = await run.knownCustomers();
  const missing = [...known.entries()].filter(([id, k]) => !k.deleted && !listed.has(id)).map(([id]) => id);
  run.log.debug(`square customers: ${listed.size} listed, ${missing.length} stored ones not listed`);
  await retrieve(run, missing);
  state.reconciledAt = run.startedAt;
  await run.checkpoint('customers', 0);
}

async function retrieve(run: SquareRun, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BULK_LIMIT) {
    const chunk = ids.slice(i, i + BULK_LIMIT);
    const body = await run.api.post<BulkRetrieveResponse>('/v2/customers/bulk-retrieve', { customer_ids: chunk });
    const known = await run.knownCustomers();
    const records: CustomerRecord[] = [];
    const after = (id: string) => Math.max(run.startedAt, (known.get(id)?.version ?? 0) + 1);
    for (const id of chunk) {
      const answer = body.responses?.[id];
      const found = answer?.customer ? normalizeCustomer(answer.customer) : undefined;
      if (found && found.id === id) {
        const stored = known.get(id);
        if (!stored || stored.version < found.version) records.push(found);
      } else if (found) {
        records.push(customerTombstone(id, after(id), found.id));
        const stored = known.get(found.id);
        if (!stored || stored.version < found.version) records.push(found);
      } else if (answer?.errors?.some((e) => e.code === 'NOT_FOUND')) {
        records.push(customerTombstone(id, after(id)));
      } else if (answer?.errors) {
        run.log.warn(`square customer ${id}: ${answer.errors[0]?.code ?? 'error'}; left as it is`);
      }
    }
    await run.append('customers', 'customers', records);
  }
}
