/**
 * Customer ids that bookings and payments point at but the customer listings never showed: profiles
 * without a name, e-mail or phone (Square does not list them), profiles deleted since, and the
 * originals of a merge. BulkRetrieveCustomers answers NOT_FOUND for a merged original, so every id it
 * does not find is retrieved alone (RetrieveCustomer answers an old merged id with the surviving
 * profile, under its new id) before it is called deleted: a merged customer's history stays with the
 * survivor.
 */
import type { CustomerRecord } from '../../core/model.js';
import { RemoteError } from '../../io/errors.js';
import { customerTombstone, normalizeCustomer } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import { squareBulkCustomers, squareCustomer, squareRetrievedCustomer, type SquareCustomer } from './wire.js';
import { DAY_MS } from '../../core/localTime.js';

/** BulkRetrieveCustomers takes at most this many ids. */
const BULK_LIMIT = 100;

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
  const dueAt = (state.reconciledAt ?? -Infinity) + run.settings.customerReconcileDays * DAY_MS;
  if (run.startedAt < dueAt) return;
  const listed = new Set<string>();
  const pages = run.api.pages('customers', 'customers', squareCustomer, () => ({
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
    const body = run.api.check.one('customers', squareBulkCustomers, await run.api.post('/v2/customers/bulk-retrieve', { customer_ids: chunk }));
    const answered = chunk.filter((id) => body.responses?.[id]?.customer !== undefined);
    const checked = run.api.check.aligned('customers', squareCustomer, answered.map((id) => body.responses?.[id]?.customer));
    const customers = new Map(answered.map((id, i) => [id, checked[i]]));
    const records: CustomerRecord[] = [];
    for (const id of chunk) {
      const answer = body.responses?.[id];
      if (customers.has(id)) {
        // Undefined: rejected by its schema (listed in the rejects), left as it is.
        const customer = customers.get(id);
        if (customer) records.push(...(await resolved(run, id, customer)));
      } else if (answer?.errors?.some((e) => e.code === 'NOT_FOUND')) {
        const found = await retrieveOne(run, id);
        if (found) records.push(...(await resolved(run, id, found)));
        else if (found === null) records.push(customerTombstone(id, await after(run, id)));
      } else if (answer?.errors) {
        run.log.warn(`square customer ${id}: ${answer.errors[0]?.code ?? 'error'}; left as it is`);
      }
    }
    await run.append('customers', 'customers', records);
  }
}

/** RetrieveCustomer: the profile (the survivor, for a merged id), or null when Square does not know the id. */
async function retrieveOne(run: SquareRun, id: string): Promise<SquareCustomer | null | undefined> {
  let raw: unknown;
  try {
    raw = await run.api.get(`/v2/customers/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return null;
    throw error;
  }
  const body = run.api.check.one('customers', squareRetrievedCustomer, raw);
  return run.api.check.aligned('customers', squareCustomer, [body.customer])[0];
}

/** The records an answer for `id` makes: the profile itself, or a merge tombstone and the survivor. */
async function resolved(run: SquareRun, id: string, found: SquareCustomer): Promise<CustomerRecord[]> {
  const known = await run.knownCustomers();
  const record = normalizeCustomer(found);
  const newer = (r: CustomerRecord) => {
    const stored = known.get(r.id);
    return !stored || stored.version < r.version;
  };
  if (record.id === id) return newer(record) ? [record] : [];
  return [customerTombstone(id, await after(run, id), record.id), ...(newer(record) ? [record] : [])];
}

/** A tombstone's version: after every version stored for the id. */
async function after(run: SquareRun, id: string): Promise<number> {
  const known = await run.knownCustomers();
  return Math.max(run.startedAt, (known.get(id)?.version ?? 0) + 1);
}
