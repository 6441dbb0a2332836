/**
 * The records of one import into the canonical store: only what is new or changed. Orders and
 * customers arrive sorted by id, the order the store reads back in, so each is compared with its
 * stored version in one merged pass and nothing is held in memory for the whole table.
 */
import { PhoneNormalizer } from '../../core/contact.js';
import type { DimensionEntry, SourceName, TableName, TableRecord } from '../../core/model.js';
import type { Logger } from '../../io/log.js';
import type { Store } from '../../io/store.js';
import { customerRecord } from './customerRecord.js';
import type { EcomMapping } from './mappingSchema.js';
import type { OrderGrouper } from './orderGrouper.js';
import type { Reject } from './rejectsWriter.js';
import { sameContent } from './sameContent.js';

const SOURCE: SourceName = 'ecom';
const APPEND_BATCH = 10_000;

export interface StoreOptions {
  store: Store;
  now: number;
  mapping: EcomMapping;
  defaultRegion?: string;
  log: Logger;
}

/** Groups the rows and writes the orders and customers that are new or changed. */
export async function writeToStore(
  options: StoreOptions,
  grouper: OrderGrouper,
  reject: (reject: Reject) => Promise<void>,
): Promise<{ ordersWritten: number; customersWritten: number }> {
  const { store, now, mapping, log } = options;
  const ordersWritten = await appendChanged(store, 'orders', grouper.orders(now, reject), (order, stored) =>
    sameContent(order, stored) ? undefined : order,
  );

  const phones = new PhoneNormalizer();
  let unreadablePhones = 0;
  const customersWritten = await appendChanged(store, 'customers', grouper.customers(), (facts, stored) => {
    const customer = customerRecord(facts, stored, now);
    if (customer.phone !== undefined && phones.normalize(customer.phone, options.defaultRegion) === undefined) unreadablePhones++;
    return sameContent(customer, stored) ? undefined : customer;
  });
  if (unreadablePhones > 0) {
    const region = options.defaultRegion ? `in region ${options.defaultRegion}` : 'without a region (none configured)';
    log.debug(`${unreadablePhones} customers have a phone that is not a number ${region}; kept as written, compute reads them in the shop's region`);
  }

  const knownLocations = new Map((await store.readDimensions(SOURCE, 'locations')).map((entry) => [entry.id, entry]));
  const locations: DimensionEntry[] = [];
  for (const name of grouper.locations()) {
    const known = knownLocations.get(name);
    if (known?.name !== name || known.timeZone !== mapping.time_zone) {
      locations.push({ id: name, name, timeZone: mapping.time_zone });
    }
  }
  if (locations.length > 0) await store.putDimensions(SOURCE, 'locations', locations);
  return { ordersWritten, customersWritten };
}

/**
 * Walks `items` (sorted by id) beside the stored records (sorted the same way) and appends what
 * `change` returns for each; returns how many were appended.
 */
async function appendChanged<T extends TableName, I extends { id: string }>(
  store: Store,
  table: T,
  items: AsyncIterable<I>,
  change: (item: I, stored: TableRecord[T] | undefined) => TableRecord[T] | undefined,
): Promise<number> {
  const stored = store.records(SOURCE, table);
  let written = 0;
  let batch: TableRecord[T][] = [];
  const flush = async () => {
    await store.appendUncounted(SOURCE, table, batch);
    written += batch.length;
    batch = [];
  };
  try {
    let next = await stored.next();
    for await (const item of items) {
      while (!next.done && (next.value.id as string) < item.id) next = await stored.next();
      const match = !next.done && next.value.id === item.id ? ({ source: SOURCE, ...next.value } as unknown as TableRecord[T]) : undefined;
      const record = change(item, match);
      if (record === undefined) continue;
      batch.push(record);
      if (batch.length >= APPEND_BATCH) await flush();
    }
    await flush();
  } finally {
    await stored.return(undefined);
  }
  return written;
}
