/** The typed-cell formatters (first-time buyers, workbooks) write what the master's byte writer writes. */
import { describe, expect, it } from 'vitest';
import type { MasterTable, TextColumn } from '../../../src/core/compute.js';
import { currencyDecimals } from '../../../src/core/currency.js';
import { MASTER_COLUMNS } from '../../../src/core/masterColumns.js';
import { CsvBytes } from '../../../src/io/csvBytes.js';
import { csvLine } from '../../../src/io/csvFormat.js';
import { masterSheet, MasterRowWriter } from '../../../src/io/masterFile.js';
import { csvCellText, sheetCellValue } from '../../../src/io/typedCells.js';
import { Random } from '../../../src/sandbox/random.js';

/** A master of `rows` random rows: every type, empty cells, several currencies. */
function randomMaster(rows: number): MasterTable {
  const rng = new Random(7);
  const texts = ['Anne', 'a;b', '=cmd', '+14155550123', '0612345678', 'Zoë', '', undefined];
  const columns: MasterTable['columns'] = {};
  for (const column of MASTER_COLUMNS) {
    if (column.name === 'currency') {
      columns.currency = Array.from({ length: rows }, () => rng.pick(['USD', 'JPY', 'KWD', 'AUD;NZD', undefined]));
    } else if (column.type === 'text' || column.type === 'list' || column.type === 'phone') {
      columns[column.name] = Array.from({ length: rows }, () => rng.pick(texts));
    } else if (column.type === 'boolean') {
      columns[column.name] = Uint8Array.from({ length: rows }, () => rng.int(0, 2));
    } else {
      columns[column.name] = Float64Array.from({ length: rows }, () =>
        rng.chance(0.2) ? NaN : column.type === 'timestamp' ? Math.floor(rng.next() * 4e12) : (rng.next() - 0.3) * 10 ** rng.int(0, 6),
      );
    }
  }
  for (const column of MASTER_COLUMNS) if (column.type === 'integer') columns[column.name] = (columns[column.name] as Float64Array).map((v) => Math.round(v));
  return { rows, columns };
}

describe('typed cells', () => {
  const table = randomMaster(500);

  it('csvCellText writes every master column as MasterRowWriter does', () => {
    const writer = new MasterRowWriter(table);
    const currency = table.columns.currency as TextColumn;
    for (let k = 0; k < table.rows; k++) {
      const out = new CsvBytes(16);
      writer.write(out, k);
      out.endRow();
      const moneyDecimals = currencyDecimals(currency[k]);
      const cells = MASTER_COLUMNS.map((c) => csvCellText(c.type, table.columns[c.name][k], moneyDecimals, c.decimals));
      expect(out.take().toString('utf8')).toBe(csvLine(cells));
    }
  });

  it('the master sheet has each value in its type: empty as null, money in major units, times in whole seconds', () => {
    const sheet = masterSheet(table, undefined);
    const at = (name: string) => MASTER_COLUMNS.findIndex((c) => c.name === name);
    for (let k = 0; k < table.rows; k++) {
      const { values, moneyDecimals } = sheet.row(k);
      const first = (table.columns.first_order_at as Float64Array)[k];
      expect(values[at('first_order_at')]).toEqual(Number.isNaN(first) ? null : new Date(Math.floor(first / 1000) * 1000));
      const net = (table.columns.net_revenue as Float64Array)[k];
      expect(values[at('net_revenue')]).toBe(Number.isNaN(net) ? null : Math.round(net) / 10 ** moneyDecimals);
      const repeat = (table.columns.is_repeat_customer as Uint8Array)[k];
      expect(values[at('is_repeat_customer')]).toBe(repeat === 2 ? null : repeat === 1);
    }
    expect(sheetCellValue('number', 0.95449, 2, 4)).toBe(0.9545);
    expect(sheetCellValue('text', '', 2)).toBeNull();
    expect(sheetCellValue('phone', '+14155550123', 2)).toBe('+1 415 555 0123');
  });
});
