/**
 * The five X-Series streams, one declaration each: what a page of raw records becomes in the store.
 * All are read the same way (version cursor); each checks its page against its wire schema first (a
 * record that fails is a reject, too many fail and the fetch stops before the page is stored). They
 * differ in what they keep: outlets and users become the `locations` and `staff` dimensions,
 * registers set the rate budget, customers and sales become canonical records.
 */
import type { CustomerRecord, DimensionEntry, OrderRecord, SourceName } from '../../core/model.js';
import type { Store } from '../../io/store.js';
import { normalizeCustomer } from './normalizeCustomer.js';
import { normalizeSale, type SaleContext } from './normalizeSale.js';
import type { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
import type { LightspeedState, StreamName } from './state.js';
import { isWalkInCustomer } from './walkIn.js';
import { text, wireCustomer, wireOutlet, wireRegister, wireSale, wireUser } from './wire.js';
import type { StreamCounts } from '../fetchTypes.js';
import type { WireCheck } from '../wireCheck.js';

export const SOURCE: SourceName = 'lightspeed';

/** Takes a page of records as sent; stores what passes its schema. */
export type StreamHandler = (records: readonly unknown[]) => Promise<StreamCounts>;

export interface StreamContext {
  store: Store;
  /** Updated in place; the caller saves it after each page. */
  state: LightspeedState;
  policy: LightspeedRateLimitPolicy;
  knownLocations: Set<string>;
  knownStaff: Set<string>;
  onlineSources: ReadonlySet<string>;
  check: WireCheck;
}

export function createStreamHandlers(context: StreamContext): Record<StreamName, StreamHandler> {
  const { store, state, policy, knownLocations, knownStaff, onlineSources, check } = context;
  return {
    outlets: async (page) => {
      const records = check.page('outlets', wireOutlet, page);
      const entries: DimensionEntry[] = records.map((outlet) => {
        const currency = isoCode(outlet.currency, 3);
        if (currency) state.outletCurrencies[outlet.id] = currency;
        return dimension(outlet.id, text(outlet.name) ?? outlet.id, text(outlet.time_zone), isoCode(outlet.physical_country_id, 2) ?? state.country);
      });
      await store.putDimensions(SOURCE, 'locations', entries);
      return countDimensions(records, knownLocations);
    },
    registers: async (page) => {
      const records = check.page('registers', wireRegister, page);
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
    users: async (page) => {
      const records = check.page('users', wireUser, page);
      const entries = records.map((user) =>
        dimension(user.id, text(user.display_name) ?? text(user.username) ?? text(user.email) ?? user.id),
      );
      await store.putDimensions(SOURCE, 'staff', entries);
      return countDimensions(records, knownStaff);
    },
    customers: async (page) => {
      const customers: CustomerRecord[] = [];
      for (const raw of check.page('customers', wireCustomer, page)) {
        if (state.walkInCustomerIds.includes(raw.id) || isWalkInCustomer(raw)) {
          addOnce(state.walkInCustomerIds, raw.id);
          continue;
        }
        customers.push(normalizeCustomer(raw));
      }
      const { added, updated } = await store.append(SOURCE, 'customers', customers);
      return { added, updated, deleted: customers.filter((c) => c.deleted).length };
    },
    sales: async (page) => {
      const records = check.page('sales', wireSale, page);
      const context: SaleContext = {
        currency: state.currency ?? 'USD',
        outletCurrencies: state.outletCurrencies,
        walkInCustomerIds: new Set(state.walkInCustomerIds),
        onlineSources,
      };
      const orders: OrderRecord[] = records.map((raw) => normalizeSale(raw, context));
      const { added, updated } = await store.append(SOURCE, 'orders', orders);
      return { added, updated, deleted: orders.filter((o) => o.deleted).length };
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

function countDimensions(records: readonly { id: string; deleted_at?: string | null }[], known: Set<string>): StreamCounts {
  const counts: StreamCounts = { added: 0, updated: 0, deleted: 0 };
  for (const record of records) {
    if (known.has(record.id)) counts.updated++;
    else {
      counts.added++;
      known.add(record.id);
    }
    if (text(record.deleted_at)) counts.deleted++;
  }
  return counts;
}
