/**
 * Upserts the master into `customer_analytics` for one account, a batch at a time, then marks the
 * account's customers that are no longer in the master as removed. Runs inside the caller's
 * transaction. The ids seen so far live in a temporary table, not in memory, and also catch a
 * customer_id that appears twice in the master.
 */
import type pg from 'pg';
import { InputError } from '../io/errors.js';
import type { Logger } from '../io/log.js';
import { buildUpsert, maxRowsPerStatement, type UpsertSpec } from './buildUpsert.js';
import { CUSTOMER_COLUMNS, CUSTOMER_TABLE, ident, sqlType } from './pgColumns.js';
import { readCsvTable, type CsvTableRow } from './readCsvTable.js';

export interface CustomerCounts {
  /** New (account, customer_id) rows. */
  inserted: number;
  /** Existing rows rewritten because something differed, restored rows included. */
  updated: number;
  /** Master rows identical to the table: not written at all. */
  unchanged: number;
  /** Rows of the account missing from this master, now with `removed_at` set. */
  markedRemoved: number;
  /** Rows that had `removed_at` set and are back in the master (also counted in `updated`). */
  restored: number;
}

const SEEN_TABLE = 'ca_seen_customers';
const ID_INDEX = CUSTOMER_COLUMNS.findIndex((column) => column.name === 'customer_id');

export const CUSTOMER_UPSERT: UpsertSpec = {
  table: CUSTOMER_TABLE,
  columns: [
    ...CUSTOMER_COLUMNS.map((column) => ({ name: column.name, sql: sqlType(column.type) })),
    { name: 'extra', sql: 'jsonb' },
  ],
  key: ['customer_id'],
  clearsRemoved: true,
  returning: 't.customer_id',
};

/** Parameters before the rows: the account and the batch's ids. */
const FIXED_PARAMETERS = 2;

export const MAX_CUSTOMER_BATCH = maxRowsPerStatement(CUSTOMER_UPSERT, FIXED_PARAMETERS);

function upsertStatement(rowCount: number): string {
  // All parts of one statement see the same snapshot, so `before` is the table as it was before this batch.
  return (
    `WITH before AS (SELECT customer_id, removed_at IS NOT NULL AS was_removed FROM ${ident(CUSTOMER_TABLE)} ` +
    'WHERE account = $1 AND customer_id = ANY($2::text[])), ' +
    `written AS (${buildUpsert(CUSTOMER_UPSERT, rowCount, FIXED_PARAMETERS + 1)}) ` +
    'SELECT count(*) FILTER (WHERE before.customer_id IS NULL)::integer AS inserted, ' +
    'count(before.customer_id)::integer AS updated, ' +
    'count(*) FILTER (WHERE before.was_removed)::integer AS restored ' +
    'FROM written LEFT JOIN before USING (customer_id)'
  );
}

async function rejectDuplicates(client: pg.Client, batch: CsvTableRow[], ids: string[], masterPath: string): Promise<void> {
  const fresh = await client.query<{ customer_id: string }>(
    `INSERT INTO ${SEEN_TABLE} (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING customer_id`,
    [ids],
  );
  if (fresh.rowCount === ids.length) return;
  const firstSeen = new Set(fresh.rows.map((row) => row.customer_id));
  const inBatch = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (inBatch.has(id) || !firstSeen.has(id)) {
      throw new InputError(`master ${masterPath} line ${batch[index].line}: customer_id appears more than once`);
    }
    inBatch.add(id);
  }
}

export async function exportCustomers(
  client: pg.Client,
  account: string,
  masterPath: string,
  batchSize: number,
  log: Logger,
  onRows?: (rows: number) => void,
): Promise<CustomerCounts> {
  const counts: CustomerCounts = { inserted: 0, updated: 0, unchanged: 0, markedRemoved: 0, restored: 0 };
  await client.query(`CREATE TEMPORARY TABLE ${SEEN_TABLE} (customer_id text PRIMARY KEY) ON COMMIT DROP`);
  let batch: CsvTableRow[] = [];
  let batchNumber = 0;
  let rows = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const ids = batch.map((row) => row.values[ID_INDEX] as string);
    await rejectDuplicates(client, batch, ids, masterPath);
    const parameters: unknown[] = [account, ids];
    for (const row of batch) {
      parameters.push(...row.values, row.extra === null ? null : JSON.stringify(row.extra));
    }
    const result = await client.query<{ inserted: number; updated: number; restored: number }>({
      // Named, so the server parses each batch size's statement once per export instead of every batch.
      name: `ca_upsert_customers_${batch.length}`,
      text: upsertStatement(batch.length),
      values: parameters,
    });
    const { inserted, updated, restored } = result.rows[0];
    counts.inserted += inserted;
    counts.updated += updated;
    counts.restored += restored;
    counts.unchanged += batch.length - inserted - updated;
    rows += batch.length;
    batchNumber += 1;
    log.debug(`postgres: customer batch ${batchNumber} written (${rows} rows so far)`);
    onRows?.(rows);
    batch = [];
  };

  const spec = { label: 'master', columns: CUSTOMER_COLUMNS, required: ['customer_id'] };
  for await (const row of readCsvTable(masterPath, spec)) {
    batch.push(row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();

  // Fresh statistics, so the anti-join below is planned for the real number of ids.
  await client.query(`ANALYZE ${SEEN_TABLE}`);
  const removed = await client.query(
    `UPDATE ${ident(CUSTOMER_TABLE)} AS t SET removed_at = now(), updated_at = now() ` +
      'WHERE t.account = $1 AND t.removed_at IS NULL ' +
      `AND NOT EXISTS (SELECT 1 FROM ${SEEN_TABLE} AS s WHERE s.customer_id = t.customer_id)`,
    [account],
  );
  counts.markedRemoved = removed.rowCount ?? 0;
  if (rows === 0 && counts.markedRemoved > 0) {
    log.warn(`postgres: the master has no customers; all ${counts.markedRemoved} of account ${account} are marked removed`);
  }
  return counts;
}
