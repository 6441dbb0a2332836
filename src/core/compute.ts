/**
 * `ca compute`'s core: from canonical records to one row per customer with every master metric, plus
 * the daily-by-location and cohort reports. Pure and columnar: orders are grouped by customer with a
 * counting sort and each customer is visited once, by each part in turn (src/core/compute/: contact,
 * order metrics, booking metrics, daily report, cohorts); segments and totals follow. Customers are
 * numbered in customer_id order (identity.ts), so the rows need no reordering.
 * The prediction columns are filled after, by src/core/clv/predictionColumns.ts.
 */
import { releaseColumns, type ComputeInput } from './computeInput.js';
import { BookingMetricsPart } from './compute/bookingMetrics.js';
import { purchaseTotals } from './compute/channelMonths.js';
import { CohortsPart } from './compute/cohorts.js';
import { ContactPart } from './compute/contactColumns.js';
import { DailyReportPart } from './compute/dailyReport.js';
import { OrderMetricsPart } from './compute/orderMetrics.js';
import { prepare } from './compute/prepare.js';
import { purchasesForModels } from './compute/rowOrder.js';
import { fillSegments } from './compute/segmentColumns.js';
import { emptyMasterColumns } from './compute/shared.js';
import type { ComputeResult, ComputeSettings, CurrencySummary } from './compute/types.js';
import { CustomerVisit } from './compute/visit.js';

export { DAY_MS } from './compute/shared.js';
export type {
  ChannelMonthRow,
  CohortRow,
  ComputeResult,
  ComputeSettings,
  CurrencySummary,
  DailyRow,
  FirstTimeBuyer,
  MasterColumnData,
  MasterTable,
  TextColumn,
} from './compute/types.js';

export function compute(input: ComputeInput, settings: ComputeSettings): ComputeResult {
  const p = prepare(input, settings);
  const { orders, customers, bookings } = input;
  const rows = p.clusters;
  const columns = emptyMasterColumns(rows);

  // The single pass over customers: each part reads what the parts before it found.
  const contact = new ContactPart(p, columns);
  const orderMetrics = new OrderMetricsPart(p, columns);
  const bookingMetrics = new BookingMetricsPart(p, columns);
  const daily = new DailyReportPart(p);
  const cohorts = new CohortsPart(p);
  const v = new CustomerVisit(p);
  for (let k = 0; k < rows; k++) {
    v.begin(k);
    contact.visit(v);
    orderMetrics.visit(v);
    bookingMetrics.visit(v);
    daily.visit(v);
    cohorts.visit(v);
  }
  // Read only by the pass.
  releaseColumns(orders, ['source', 'tipsMinor', 'staff', 'campaign']);
  releaseColumns(bookings, ['staff', 'service']);
  // Orders and revenue per day and location (and per month and channel) include walk-ins and guests.
  daily.addPurchases();
  daily.addBookings();
  const totals = purchaseTotals(p, orderMetrics.mixedCluster);
  // What is left to read of the orders is what tells a purchase and what the models take (time, amount).
  releaseColumns(orders, ['channel', 'currency', 'location']);
  releaseColumns(bookings, ['startAt', 'status', 'location']);

  fillSegments(columns, rows, settings);

  // Rows are already in customer_id order (clusters are numbered in it).
  const firstTimeBuyers = orderMetrics.firstTimeBuyers;
  const purchases = purchasesForModels(p);
  // The models' arrays live on in `purchases`; the input keeps no per-order column.
  releaseColumns(orders, ['kind', 'status', 'orderedAt', 'amountMinor']);
  const dailyReport = daily.rows();
  const { mixedCustomers, customersByCurrency } = orderMetrics;
  const currencies: CurrencySummary = {
    codes: orders.currencies
      .map((code, c) => ({ code, purchases: totals.purchasesByCurrency[c], customers: customersByCurrency[c] }))
      .filter((entry) => entry.purchases > 0 || entry.customers > 0)
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
    mixedCustomers,
    mixedDailyRows: dailyReport.mixedRows,
  };
  const warnings = p.warnings;
  if (currencies.codes.length > 1 || mixedCustomers > 0) {
    const list = currencies.codes.map((c) => `${c.code} ${c.purchases} purchases`).join(', ');
    warnings.push(
      `orders in ${currencies.codes.length} currencies (${list}): every money figure is per currency, never added across currencies` +
        (mixedCustomers > 0 ? `; ${mixedCustomers} customers bought in more than one: their money columns are empty and currency lists them` : '') +
        (currencies.mixedDailyRows > 0 ? `; ${currencies.mixedDailyRows} daily report rows mix currencies: their revenue is empty` : ''),
    );
  }

  return {
    master: { rows, columns },
    revenueByMonthAndChannel: totals.revenueByMonthAndChannel,
    firstTimeBuyers,
    daily: dailyReport.rows,
    cohorts: cohorts.rows(),
    purchases,
    currencies,
    warnings,
    counts: {
      customerRecords: customers.count,
      customers: rows,
      orders: orders.count,
      purchases: orderMetrics.purchaseCount,
      walkInPurchases: totals.walkInPurchases,
      bookings: bookings.count,
    },
  };
}
