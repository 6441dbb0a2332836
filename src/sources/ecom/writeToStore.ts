/** The records of one import into the canonical store: only what is new or changed, then a compaction. */
import { PhoneNormalizer } from '../../core/contact.js';
import type { CustomerRecord, DimensionEntry, OrderRecord } from '../../core/model.js';
import type { Logger } from '../../io/log.js';
import type { Store } from '../../io/store.js';
import { customerRecord } from './customerRecord.js';
import type { EcomMapping } from './mappingSchema.js';
import type { OrderGrouper } from './orderGrouper.js';
import { sameContent } from './sameContent.js';

const APPEND_BATCH = 10_000;

export interface StoreOptions {
  store: Store;
  now: number;
  mapping: EcomMapping;
  defaultRegion: string;
  log: Logger;
}

/** Writes the orders and customers that are new or changed, then compacts the source. */
export async function writeToStore(
  options: StoreOptions,
  grouper: OrderGrouper,
): Promise<{ ordersWritten: number; customersWritten: number }> {
  const { store, now, mapping, log } = options;
  const storedOrders = new Map((await store.readAll('ecom', 'orders')).map((order) => [order.id, order]));
  let ordersWritten = 0;
  let batch: OrderRecord[] = [];
  for (const order of grouper.records(now)) {
    if (sameContent(order, storedOrders.get(order.id))) continue;
    batch.push(order);
    if (batch.length >= APPEND_BATCH) {
      ordersWritten += batch.length;
      await store.append('ecom', 'orders', batch);
      batch = [];
    }
  }
  ordersWritten += batch.length;
  await store.append('ecom', 'orders', batch);
  storedOrders.clear();

  const storedCustomers = new Map((await store.readAll('ecom', 'customers')).map((customer) => [customer.id, customer]));
  const customers: CustomerRecord[] = [];
  const phones = new PhoneNormalizer(options.defaultRegion);
  let unreadablePhones = 0;
  for (const facts of grouper.customerFacts()) {
    const stored = storedCustomers.get(facts.id);
    const customer = customerRecord(facts, stored, now);
    if (customer.phone !== undefined && phones.normalize(customer.phone) === undefined) unreadablePhones++;
    if (!sameContent(customer, stored)) customers.push(customer);
  }
  for (let i = 0; i < customers.length; i += APPEND_BATCH) {
    await store.append('ecom', 'customers', customers.slice(i, i + APPEND_BATCH));
  }
  if (unreadablePhones > 0) {
    log.debug(`${unreadablePhones} customers have a phone that is not a number in region ${options.defaultRegion}; kept as written`);
  }

  const knownLocations = new Map((await store.readDimensions('ecom', 'locations')).map((entry) => [entry.id, entry]));
  const locations: DimensionEntry[] = [];
  for (const name of grouper.locations()) {
    const known = knownLocations.get(name);
    if (known?.name !== name || known.timeZone !== mapping.time_zone) {
      locations.push({ id: name, name, timeZone: mapping.time_zone });
    }
  }
  if (locations.length > 0) await store.putDimensions('ecom', 'locations', locations);

  await store.compact('ecom');
  return { ordersWritten, customersWritten: customers.length };
}
