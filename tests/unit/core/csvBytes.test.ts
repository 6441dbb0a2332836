/** The byte-level CSV writer must write exactly what the string formatters and csvLine write. */
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../../src/core/localTime.js';
import { formatSheetTime, phoneCell } from '../../../src/core/sheetCells.js';
import { CsvBytes } from '../../../src/io/csvBytes.js';
import { csvLine, formatMoney, formatNumber, inert } from '../../../src/io/csvFormat.js';
import { Random } from '../../../src/sandbox/random.js';

describe('CsvBytes', () => {
  it('writes text like inert + csvLine, including quoting, formulas, phones and non-ASCII', () => {
    const texts = ['Anne', 'say "hi"', 'a,b', 'a;b', 'a\tb', 'two\nlines', '=HYPERLINK("x")', '+cmd', '-2+3', '@SUM(A1)', '\tx', '+14155550123', '-12.50', "'=x", 'Zoë 李', '', undefined];
    const out = new CsvBytes(8); // tiny, so it has to grow
    for (const t of texts) out.text(t);
    out.endRow();
    expect(out.take().toString('utf8')).toBe(csvLine(texts.map(inert)));
  });

  it('writes phones like phoneCell + csvLine', () => {
    const phones = ['+64224423832', '+14155550123', '+351912345678', '0612345678', '06,12', 'call me', '+1 call', "'x", ''];
    const out = new CsvBytes(8);
    for (const p of phones) out.phone(p);
    out.endRow();
    expect(out.take().toString('utf8')).toBe(csvLine(phones.map(phoneCell)));
  });

  it('writes money, integers and times like formatMoney, String and formatSheetTime', () => {
    const rng = new Random(11);
    const expected: string[] = [];
    const out = new CsvBytes(16);
    for (let i = 0; i < 2000; i++) {
      const minor = Math.round((rng.next() - 0.3) * 10 ** rng.int(0, 9));
      const decimals = rng.pick([0, 2, 3]);
      const ms = Math.floor(rng.next() * 4_102_444_800_000); // 1970 .. 2100
      const integer = Math.round((rng.next() - 0.5) * 1e7);
      out.money(minor, decimals);
      out.timestamp(ms);
      out.integer(integer);
      const fraction = (rng.next() - 0.2) * 10 ** rng.int(-3, 4);
      out.decimal(fraction, 4);
      out.endRow();
      expected.push(`${formatMoney(minor, decimals)},${formatSheetTime(ms)},${String(integer)},${formatNumber(fraction, 4)}\r\n`);
    }
    expect(out.take().toString('utf8')).toBe(expected.join(''));
  });

  it('formats timestamps as ISO 8601 UTC without milliseconds (checked against Date)', () => {
    const rng = new Random(5);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(rng.next() * 4_102_444_800_000);
      expect(formatTimestamp(ms)).toBe(new Date(ms).toISOString().slice(0, 19) + 'Z');
    }
  });
});
