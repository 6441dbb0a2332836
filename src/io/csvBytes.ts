/**
 * The fast path for writing a million-row CSV: cells are formatted straight into a byte buffer
 * (numbers digit by digit, text with one utf8 write), instead of as fifty million short strings that
 * the garbage collector must then chase. The output is byte for byte what csvFormat.ts's string
 * formatters and csvLine produce (tests/unit/core/csvBytes.test.ts holds the two side by side).
 */
import { needsInertPrefix } from '../core/csvSafety.js';
import { civilFromDays, DAY_MS } from '../core/localTime.js';
import { phoneCell } from '../core/sheetCells.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
/** `;` and tab too: LibreOffice's import dialog splits on them by default, outside quotes. */
const NEEDS_QUOTES = /[",;\t\r\n]/;
const POW10 = [1, 10, 100, 1000, 10000];
const POWERS = Array.from({ length: 17 }, (_, i) => 10 ** i);

export class CsvBytes {
  private buffer: Buffer;
  /** Bytes written so far into the current buffer. */
  length = 0;
  private cellsInRow = 0;
  private readonly dates = new Map<number, string>();

  constructor(size = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** The bytes written since the last take, and a fresh start. */
  take(): Buffer {
    // Handed over as is, and writing goes on in a fresh buffer: no copy of every byte of the master.
    const out = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.length = 0;
    return out;
  }

  private separator(): void {
    if (this.cellsInRow++ > 0) {
      this.ensure(1);
      this.buffer[this.length++] = COMMA;
    }
  }

  endRow(): void {
    this.ensure(2);
    this.buffer[this.length++] = 0x0d;
    this.buffer[this.length++] = 0x0a;
    this.cellsInRow = 0;
  }

  empty(): void {
    this.separator();
  }

  /** Raw text known to need no quoting (ours: booleans, codes). */
  ascii(text: string): void {
    this.separator();
    this.latin1(text);
  }

  /** Byte by byte: for a few characters, cheaper than a call into Buffer#write. */
  private latin1(text: string): void {
    const n = text.length;
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buffer[this.length + i] = text.charCodeAt(i);
    this.length += n;
  }

  /** Free text: made inert when a spreadsheet would run it as a formula, quoted when needed. */
  text(value: string | undefined): void {
    this.separator();
    if (value === undefined || value === '') return;
    const prefix = needsInertPrefix(value);
    if (!prefix && this.plainAscii(value)) return;
    this.body(prefix ? `'${value}` : value);
  }

  /** A phone as src/core/sheetCells.ts writes it (international format, or protected as written). */
  phone(value: string | undefined): void {
    this.separator();
    if (value === undefined || value === '') return;
    const cell = phoneCell(value);
    if (!this.plainAscii(cell)) this.body(cell);
  }

  /** A cell's final text, quoted when needed. */
  private body(body: string): void {
    if (NEEDS_QUOTES.test(body)) {
      const quoted = body.replace(/"/g, '""');
      this.ensure(quoted.length * 3 + 2);
      this.buffer[this.length++] = QUOTE;
      this.length += this.buffer.write(quoted, this.length, 'utf8');
      this.buffer[this.length++] = QUOTE;
    } else {
      this.ensure(body.length * 3);
      this.length += this.buffer.write(body, this.length, 'utf8');
    }
  }

  /** Copies printable ASCII that needs no quoting byte by byte; false (nothing written) otherwise. */
  private plainAscii(value: string): boolean {
    const n = value.length;
    this.ensure(n);
    const start = this.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === COMMA || c === SEMICOLON) {
        this.length = start;
        return false;
      }
      this.buffer[start + i] = c;
    }
    this.length = start + n;
    return true;
  }

  /** Exactly two digits. */
  private two(value: number): void {
    this.buffer[this.length++] = 0x30 + Math.floor(value / 10);
    this.buffer[this.length++] = 0x30 + (value % 10);
  }

  private digits(value: number, width: number): void {
    // value >= 0, integer; width = minimum digits (zero-padded).
    let count = 1;
    while (count < 16 && value >= POWERS[count]) count++;
    if (count < width) count = width;
    this.ensure(count);
    let n = value;
    for (let i = this.length + count - 1; i >= this.length; i--) {
      const next = Math.floor(n / 10);
      this.buffer[i] = 0x30 + (n - next * 10);
      n = next;
    }
    this.length += count;
  }

  integer(value: number): void {
    this.separator();
    let n = Math.round(value);
    if (n < 0) {
      this.ensure(1);
      this.buffer[this.length++] = 0x2d;
      n = -n;
    }
    this.digits(n, 1);
  }

  /** Minor units as a decimal in major units, like formatMoney. */
  money(minor: number, decimals: number): void {
    this.separator();
    let n = Math.round(minor);
    if (n < 0) {
      this.ensure(1);
      this.buffer[this.length++] = 0x2d;
      n = -n;
    }
    if (decimals === 0) {
      this.digits(n, 1);
      return;
    }
    const scale = POW10[decimals];
    this.digits(Math.floor(n / scale), 1);
    this.ensure(1);
    this.buffer[this.length++] = 0x2e;
    this.digits(n % scale, decimals);
  }

  /** Exactly `decimals` decimals (rounded half away from zero), like formatNumber. */
  decimal(value: number, decimals: number): void {
    this.separator();
    const scale = POW10[decimals];
    const n = Math.round(Math.abs(value) * scale);
    if (value < 0 && n > 0) {
      this.ensure(1);
      this.buffer[this.length++] = 0x2d;
    }
    this.digits(Math.floor(n / scale), 1);
    if (decimals === 0) return;
    this.ensure(1);
    this.buffer[this.length++] = 0x2e;
    this.digits(n % scale, decimals);
  }

  /** `2025-06-02T19:47:31` (UTC), like formatSheetTime. The date part is kept per day: days repeat a lot. */
  timestamp(ms: number): void {
    this.separator();
    const days = Math.floor(ms / DAY_MS);
    let date = this.dates.get(days);
    if (date === undefined) {
      const [year, month, day] = civilFromDays(days);
      date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T`;
      if (this.dates.size < 100_000) this.dates.set(days, date);
    }
    const seconds = Math.floor((ms - days * DAY_MS) / 1000);
    this.ensure(date.length + 8);
    this.latin1(date);
    this.two(Math.floor(seconds / 3600));
    this.buffer[this.length++] = 0x3a;
    this.two(Math.floor(seconds / 60) % 60);
    this.buffer[this.length++] = 0x3a;
    this.two(seconds % 60);
  }
}
