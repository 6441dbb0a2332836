/**
 * The five X-Series streams (declared in source.ts): what a page of checked records becomes in the
 * store. All are read the same way (version cursor) through the sync loop (src/sources/syncLoop.ts),
 * which checks each page against the stream's wire schema first. They differ in what they keep: outlets and users become the `locations` and `staff` dimensions,
 * registers set the rate budget, customers and sales become canonical records.
 */
import type { CustomerRecord, DimensionEntry, OrderRecord, SourceName } from '../../core/model.js';
import type { Store } from '../../io/store.js';
import { normalizeCustomer } from './normalizeCustomer.js';
import { normalizeSale, type SaleContext } from './normalizeSale.js';
import type { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
import type { LightspeedState, StreamName } from './state.js';
import { isWalkInCustomer } from './walkIn.js';
import { LIGHTSPEED_STREAMS } from './source.js';
import { text, type WireCustomer, type WireOutlet, type WireRegister, type WireSale, type WireUser } from './wire.js';
import type { StreamCounts } from '../fetchTypes.js';
import type { SyncStream } from '../syncLoop.js';

export const SOURCE: SourceName = 'lightspeed';

/** A stream's declaration with what a page of it becomes in the store; `fetchLightspeed` adds the pages. */
export type StreamHandler = Omit<SyncStream<unknown, unknown>, 'pages'>;

export interface StreamContext {
  store: Store;
  /** Updated in place; the sync loop saves it after each page. */
  state: LightspeedState;
  policy: LightspeedRateLimitPolicy;
  knownLocations: Set<string>;
  knownStaff: Set<string>;
  onlineSources: ReadonlySet<string>;
}

/** A dimension entry, and whether the record it came from is a tombstone. */
interface DimensionRecord {
  entry: DimensionEntry;
  deleted: boolean;
}

export function createStreamHandlers(context: StreamContext): Record<StreamName, StreamHandler> {
  const { store, state, policy, knownLocations, knownStaff, onlineSources } = context;
  const outlets: SyncStream<WireOutlet, DimensionRecord>['normalize'] = (records) =>
    records.map((outlet) => {
      const currency = isoCode(outlet.currency, 3);
      if (currency) state.outletCurrencies[outlet.id] = currency;
      const entry = dimension(outlet.id, text(outlet.name) ?? outlet.id, text(outlet.time_zone), isoCode(outlet.physical_country_id, 2) ?? state.country);
      return { entry, deleted: Boolean(text(outlet.deleted_at)) };
    });
  return {
    outlets: {
      declaration: LIGHTSPEED_STREAMS.outlets,
      normalize: outlets,
      store: async (records: DimensionRecord[]) => {
        await store.putDimensions(SOURCE, 'locations', records.map((r) => r.entry));
        return countDimensions(records, knownLocations);
      },
    },
    registers: {
      declaration: LIGHTSPEED_STREAMS.registers,
      normalize: (records: WireRegister[]) => records,
      // Registers only set the rate budget: they are kept in the sync state.
      store: async (records: WireRegister[]) => {
        const counts: StreamCounts = { added: 0, updated: 0, deleted: 0 };
        for (const register of records) {
          const known = state.activeRegisters.includes(register.id);
          if (text(register.deleted_at)) {
            counts.deleted++;
            state.activeRegisters = state.activeRegisters.filter((id) => id !== register.id);
          } else if (!known) state.activeRegisters.push(register.id);
          if (known) counts.updated++;
          else counts.added++;
        }
        policy.setRegisterCount(state.activeRegisters.length);
        return counts;
      },
    },
    users: {
      declaration: LIGHTSPEED_STREAMS.users,
      normalize: (records: WireUser[]): DimensionRecord[] =>
        records.map((user) => ({
          entry: dimension(user.id, text(user.display_name) ?? text(user.username) ?? text(user.email) ?? user.id),
          deleted: Boolean(text(user.deleted_at)),
        })),
      store: async (records: DimensionRecord[]) => {
        await store.putDimensions(SOURCE, 'staff', records.map((r) => r.entry));
        return countDimensions(records, knownStaff);
      },
    },
    customers: {
      declaration: LIGHTSPEED_STREAMS.customers,
      normalize: (records: WireCustomer[]) => {
        const customers: CustomerRecord[] = [];
        for (const raw of records) {
          if (state.walkInCustomerIds.includes(raw.id) || isWalkInCustomer(raw)) {
            addOnce(state.walkInCustomerIds, raw.id);
            continue;
          }
          customers.push(normalizeCustomer(raw));
        }
        return customers;
      },
      store: async (customers: CustomerRecord[]) => {
        const { added, updated } = await store.append(SOURCE, 'customers', customers);
        return { added, updated, deleted: customers.filter((c) => c.deleted).length };
      },
    },
    sales: {
      declaration: LIGHTSPEED_STREAMS.sales,
      normalize: (records: WireSale[]) => {
        const context: SaleContext = {
          currency: state.currency ?? 'USD',
          outletCurrencies: state.outletCurrencies,
          walkInCustomerIds: new Set(state.walkInCustomerIds),
          onlineSources,
        };
        return records.map((raw) => normalizeSale(raw, context));
      },
      store: async (orders: OrderRecord[]) => {
        const { added, updated } = await store.append(SOURCE, 'orders', orders);
        return { added, updated, deleted: orders.filter((o) => o.deleted).length };
      },
    },
  };
}

export function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}

function dimension(id: string, name: string, timeZone?: string, country?: string): DimensionEntry {
  return { id, name, ...(timeZone ? { timeZone } : {}), ...(country ? { country } : {}) };
}

/** An upper-case ISO code of `length` letters (`NZD`, `NZ`), or undefined when the field holds something else. */
export function isoCode(value: string | null | undefined, length: 2 | 3): string | undefined {
  const code = text(value)?.toUpperCase();
  return code && code.length === length && /^[A-Z]+$/.test(code) ? code : undefined;
}

function countDimensions(records: readonly DimensionRecord[], known: Set<string>): StreamCounts {
  const counts: StreamCounts = { added: 0, updated: 0, deleted: 0 };
  for (const { entry, deleted } of records) {
    if (known.has(entry.id)) counts.updated++;
    else {
      counts.added++;
      known.add(entry.id);
    }
    if (deleted) counts.deleted++;
  }
  return counts;
}
