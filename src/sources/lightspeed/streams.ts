/**
 * The five X-Series streams, one declaration each: what a page of raw records becomes in the store.
 * All are read the same way (version cursor, `deleted=true`); they differ only in what they keep:
 * outlets and users become the `locations` and `staff` dimensions, registers set the rate budget,
 * customers and sales become canonical records.
 */
import type { CustomerRecord, DimensionEntry, OrderRecord, SourceName } from '../../core/model.js';
import type { Store } from '../../io/store.js';
import { normalizeCustomer } from './normalizeCustomer.js';
import { normalizeSale, type SaleContext } from './normalizeSale.js';
import type { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
import { isKnownSaleStatus } from './saleStatus.js';
import type { LightspeedState, StreamName } from './state.js';
import { isWalkInCustomer } from './walkIn.js';
import { text, type WireCustomer, type WireRecord, type WireSale } from './wire.js';

export const SOURCE: SourceName = 'lightspeed';

import type { StreamCounts } from '../fetchTypes.js';

export type StreamHandler = (records: WireRecord[]) => Promise<StreamCounts>;

export interface StreamContext {
  store: Store;
  /** Updated in place; the caller saves it after each page. */
  state: LightspeedState;
  policy: LightspeedRateLimitPolicy;
  knownLocations: Set<string>;
  knownStaff: Set<string>;
  /** Collects `status/state` pairs the mapping does not know. */
  unknownStatuses: Set<string>;
  onlineSources: ReadonlySet<string>;
}

export function createStreamHandlers(context: StreamContext): Record<StreamName, StreamHandler> {
  const { store, state, policy, knownLocations, knownStaff, unknownStatuses, onlineSources } = context;
  return {
    outlets: async (records) => {
      const entries: DimensionEntry[] = records.map((outlet) => {
        const currency = text(outlet.currency);
        if (currency) state.outletCurrencies[outlet.id] = currency;
        return dimension(outlet.id, text(outlet.name) ?? outlet.id, text(outlet.time_zone));
      });
      await store.putDimensions(SOURCE, 'locations', entries);
      return countDimensions(records, knownLocations);
    },
    registers: async (records) => {
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
    users: async (records) => {
      const entries = records.map((user) =>
        dimension(user.id, text(user.display_name) ?? text(user.username) ?? text(user.email) ?? user.id),
      );
      await store.putDimensions(SOURCE, 'staff', entries);
      return countDimensions(records, knownStaff);
    },
    customers: async (records) => {
      const customers: CustomerRecord[] = [];
      for (const raw of records as WireCustomer[]) {
        if (state.walkInCustomerIds.includes(raw.id) || isWalkInCustomer(raw)) {
          addOnce(state.walkInCustomerIds, raw.id);
          continue;
        }
        customers.push(normalizeCustomer(raw));
      }
      const { added, updated } = await store.append(SOURCE, 'customers', customers);
      return { added, updated, deleted: customers.filter((c) => c.deleted).length };
    },
    sales: async (records) => {
      const context: SaleContext = {
        currency: state.currency ?? 'USD',
        outletCurrencies: state.outletCurrencies,
        walkInCustomerIds: new Set(state.walkInCustomerIds),
        onlineSources,
      };
      const orders: OrderRecord[] = (records as WireSale[]).map((raw) => {
        if (!isKnownSaleStatus(raw.status, raw.state)) unknownStatuses.add(`${text(raw.status) ?? '-'}/${text(raw.state) ?? '-'}`);
        return normalizeSale(raw, context);
      });
      const { added, updated } = await store.append(SOURCE, 'orders', orders);
      return { added, updated, deleted: orders.filter((o) => o.deleted).length };
    },
  };
}

export function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}

function dimension(id: string, name: string, timeZone?: string): DimensionEntry {
  return timeZone ? { id, name, timeZone } : { id, name };
}

function countDimensions(records: readonly WireRecord[], known: Set<string>): StreamCounts {
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
