/** What `compute` takes and gives (src/core/compute.ts re-exports these). */
import type { IdentitySettings } from '../identity.js';
import type { LifecycleThresholds, ValueTierRules } from '../segments.js';

export interface ComputeSettings extends IdentitySettings {
  asOf: number;
  lifecycle: LifecycleThresholds;
  valueTiers: ValueTierRules;
  /** Window of first_time_buyers.csv, in days before the as-of time. */
  firstTimeBuyerDays: number;
}

export type TextColumn = (string | undefined)[];
/** Per master column: text/list -> strings; timestamps -> epoch ms; money -> minor units; others -> numbers; booleans -> 0/1/2. NaN = empty. */
export type MasterColumnData = TextColumn | Float64Array | Uint8Array;

export interface MasterTable {
  rows: number;
  columns: Record<string, MasterColumnData>;
}

export interface FirstTimeBuyer {
  row: number;
  /** NaN when the customer's money is in more than one currency (the master's `currency` lists them). */
  firstOrderAmountMinor: number;
  secondOrderAt: number;
  source: string;
}

export interface DailyRow {
  date: string;
  location: string;
  orders: number;
  /** NaN when the day's purchases there are in more than one currency. */
  revenueMinor: number;
  /** The currency of the purchases ('' without any; several `;`-separated when mixed). */
  currency: string;
  uniqueCustomers: number;
  newCustomers: number;
  returningCustomers: number;
  acceptedBookings: number;
  cancellations: number;
  noShows: number;
}

/** A cohort is the customers who first bought in one month and whose money is in one currency. */
export interface CohortRow {
  cohort: string;
  monthsSince: number;
  cohortSize: number;
  activeCustomers: number;
  /** NaN for the customers whose money is in more than one currency. */
  revenueMinor: number;
  /** The cohort's currency; several `;`-separated for customers who bought in more than one. */
  currency: string;
}

export interface ChannelMonthRow {
  month: string;
  channel: string;
  currency: string;
  revenueMinor: number;
  orders: number;
  /** Of `revenueMinor`: purchases with no customer (walk-ins, guest checkouts), in no master row. */
  walkInRevenueMinor: number;
  /** Of `revenueMinor`: purchases of customers who bought in several currencies (their money columns are empty). */
  mixedCurrencyRevenueMinor: number;
}

/** Which currencies the orders are in, and where amounts in different ones met (never added up). */
export interface CurrencySummary {
  /** Per currency of completed purchases: purchases (walk-ins included) and the customers whose money columns are in it. */
  codes: { code: string; purchases: number; customers: number }[];
  /** Customers with money in more than one currency: their money columns are empty, `currency` lists them. */
  mixedCustomers: number;
  /** Daily report rows with purchases in more than one currency: their revenue is empty. */
  mixedDailyRows: number;
}

export interface ComputeResult {
  master: MasterTable;
  /** Purchases by UTC month and channel, walk-ins and guests included (gross). */
  revenueByMonthAndChannel: ChannelMonthRow[];
  firstTimeBuyers: FirstTimeBuyer[];
  daily: DailyRow[];
  cohorts: CohortRow[];
  /** For the models, per order: the master row whose purchase it is (-1: not a purchase), its time and amount. */
  purchases: { cluster: Int32Array; time: Float64Array; amountMinor: Float64Array };
  currencies: CurrencySummary;
  warnings: string[];
  counts: {
    customerRecords: number;
    customers: number;
    orders: number;
    purchases: number;
    walkInPurchases: number;
    bookings: number;
  };
}
