/**
 * Loads the daily-by-location report into `customer_analytics_daily` for one account. The report
 * covers all history, so a (date, location) it no longer has (a renamed location, say) is deleted;
 * rows that did not change are not written.
 */
import type pg from 'pg';
import { InputError } from '../io/errors.js';
import type { Logger } from '../io/log.js';
import { buildUpsert, maxRowsPerStatement, type UpsertSpec } from './buildUpsert.js';
import { DAILY_COLUMNS, DAILY_TABLE, ident, sqlType } from './pgColumns.js';
import { readCsvTable, type CsvTableRow } from './readCsvTable.js';

const SEEN_TABLE = 'ca_seen_daily';

const DAILY_UPSERT: UpsertSpec = {
  table: DAILY_TABLE,
  columns: DAILY_COLUMNS.map((column) => ({ name: column.name, sql: sqlType(column.type) })),
  key: ['date', 'location'],
  returning: '1',
};

const DATE_INDEX = DAILY_COLUMNS.findIndex((column) => column.name === 'date');
const LOCATION_INDEX = DAILY_COLUMNS.findIndex((column) => column.name === 'location');

export async function loadDailyReport(
  client: pg.Client,
  account: string,
  reportPath: string,
  batchSize: number,
  log: Logger,
): Promise<number> {
  await client.query(`CREATE TEMPORARY TABLE ${SEEN_TABLE} (date date, location text, PRIMARY KEY (date, location)) ON COMMIT DROP`);
  const batchLimit = Math.min(batchSize, maxRowsPerStatement(DAILY_UPSERT, 1));
  let batch: CsvTableRow[] = [];
  let rows = 0;
  let written = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const dates = batch.map((row) => row.values[DATE_INDEX] as string);
    const locations = batch.map((row) => row.values[LOCATION_INDEX] as string);
    const fresh = await client.query<{ date: string; location: string }>(
      `INSERT INTO ${SEEN_TABLE} (date, location) SELECT * FROM unnest($1::date[], $2::text[]) ` +
        "ON CONFLICT DO NOTHING RETURNING to_char(date, 'YYYY-MM-DD') AS date, location",
      [dates, locations],
    );
    if (fresh.rowCount !== batch.length) {
      const keyOf = (date: string, location: string) => JSON.stringify([date, location]);
      const firstSeen = new Set(fresh.rows.map((row) => keyOf(row.date, row.location)));
      const inBatch = new Set<string>();
      for (const [index, row] of batch.entries()) {
        const key = keyOf(dates[index], locations[index]);
        if (inBatch.has(key) || !firstSeen.has(key)) {
          throw new InputError(`daily report ${reportPath} line ${row.line}: this date and location appear more than once`);
        }
        inBatch.add(key);
      }
    }
    const result = await client.query(buildUpsert(DAILY_UPSERT, batch.length), [
      account,
      ...batch.flatMap((row) => row.values),
    ]);
    written += result.rowCount ?? 0;
    rows += batch.length;
    batch = [];
  };

  const spec = { label: 'daily report', columns: DAILY_COLUMNS, required: ['date'] };
  for await (const row of readCsvTable(reportPath, spec)) {
    // The location is part of the key, which cannot be NULL: an unnamed location is stored as ''.
    if (row.values[LOCATION_INDEX] === null) row.values[LOCATION_INDEX] = '';
    batch.push(row);
    if (batch.length >= batchLimit) await flush();
  }
  await flush();

  const deleted = await client.query(
    `DELETE FROM ${ident(DAILY_TABLE)} AS t WHERE t.account = $1 ` +
      `AND NOT EXISTS (SELECT 1 FROM ${SEEN_TABLE} AS s WHERE s.date = t.date AND s.location = t.location)`,
    [account],
  );
  log.debug(`postgres: daily report: ${rows} rows, ${written} written, ${deleted.rowCount ?? 0} deleted`);
  return rows;
}
