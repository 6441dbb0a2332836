/**
 * `ca import ecom FILE`: an e-commerce orders export into the canonical store. The file is streamed
 * (csv-parse, one record at a time); rows become orders (or lines of orders), unusable rows go to
 * data/rejects/ with their line and reason, and every row is either part of an order or rejected.
 */
import { join } from 'node:path';
import type { Logger } from '../../io/log.js';
import type { Store } from '../../io/store.js';
import type { DecimalSeparator } from './decimal.js';
import { copyForImport } from './keptCopy.js';
import type { EcomMapping, Encoding } from './mappingSchema.js';
import { exportRecords, readExport } from './readExport.js';
import { RejectsWriter } from './rejectsWriter.js';
import type { Delimiter } from './sniffDelimiter.js';
import { writeToStore } from './writeToStore.js';
import { OrderGrouper } from './orderGrouper.js';

export interface ImportOptions {
  store: Store;
  /** The export to import. */
  file: string;
  mapping: EcomMapping;
  /** `data/`: the original is kept as data/ecom_orders_export.csv, rejects go to data/rejects/. */
  dataDir: string;
  /** Import time (ms); the records' `version`, so a later import wins. */
  now: number;
  /** Configured phone region; phones are stored as written (compute normalizes), this only feeds a count in the log. */
  defaultRegion?: string;
  log: Logger;
  /** Progress on a terminal: rows read so far, and each later phase. */
  onRows?: (rowsRead: number) => void;
  onPhase?: (text: string) => void;
}

export interface ImportSummary {
  file: string;
  /** Data rows (header and blank rows aside) = ordersTaken + linesGrouped + rowsRejected. */
  rowsRead: number;
  ordersTaken: number;
  /** Rows that joined an order an earlier row started (its further lines). */
  linesGrouped: number;
  rowsRejected: number;
  guestOrders: number;
  cancelledOrders: number;
  returns: number;
  customers: number;
  rejectsFile?: string;
  /** Whether rows were read as order lines. */
  lineLevel: boolean;
  dialect: { delimiter: Delimiter; decimal: DecimalSeparator; encoding: Encoding };
  /** Records that were new or changed (unchanged ones are not written again). */
  ordersWritten: number;
  customersWritten: number;
}

export const KEPT_EXPORT = 'ecom_orders_export.csv';

/** `20250602T194731Z` */
const fileStamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

export async function importEcom(options: ImportOptions): Promise<ImportSummary> {
  const { file, mapping, dataDir, now, log } = options;
  const copy = await copyForImport(file, join(dataDir, KEPT_EXPORT), mapping.encoding);
  const rejects = new RejectsWriter(join(dataDir, 'rejects', `ecom-${fileStamp(now)}.csv`), file);
  const grouper = new OrderGrouper(
    {
      lineLevel: mapping.line_level,
      defaultCurrency: mapping.default_currency,
      defaultLocation: mapping.default_location,
      cancelledStatuses: new Set(mapping.cancelled_statuses.map((s) => s.trim().toLowerCase())),
      openStatuses: new Set(mapping.open_statuses.map((s) => s.trim().toLowerCase())),
    },
    dataDir,
  );
  try {
    const read = await readExport(copy, options, grouper, rejects);
    options.onPhase?.(`${read.rowsRead} rows read; writing orders and customers to the store`);
    const written = await writeToStore(options, grouper, (reject) => rejects.add(reject));
    if (rejects.count > 0) options.onPhase?.('writing the rejects file');
    const rejectsFile = await rejects.commit(() => exportRecords(copy, read.delimiter));
    await copy.commit();
    const counts = grouper.counts();
    const summary: ImportSummary = {
      file,
      rowsRead: read.rowsRead,
      ...counts,
      rowsRejected: rejects.count,
      lineLevel: mapping.line_level === true || counts.linesGrouped > 0,
      dialect: { delimiter: read.delimiter, decimal: read.decimal, encoding: copy.encoding },
      ...written,
    };
    if (rejectsFile) summary.rejectsFile = rejectsFile;
    log.debug(
      `${file}: ${summary.rowsRead} rows, ${summary.ordersTaken} orders (${summary.guestOrders} guest, ` +
        `${summary.cancelledOrders} cancelled, ${summary.returns} returns), ${summary.customers} customers; ` +
        `${written.ordersWritten} orders and ${written.customersWritten} customers new or changed`,
    );
    return summary;
  } catch (error) {
    await rejects.abort();
    await copy.abort();
    throw error;
  } finally {
    await grouper.dispose();
  }
}
