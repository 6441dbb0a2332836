/**
 * Finds a quote where RFC 4180 allows none: inside a field that does not start with one
 * (`Dirk "DJ" Jansen`), or after the closing quote of a quoted field (`"2.00"x`). csv-parse reads such
 * rows with `relax_quotes` (taking the quotes as text); the import rejects them one by one, since the
 * writer may have meant a field holding the delimiter and the row's fields may be shifted.
 */
export function strayQuoteField(record: string, delimiter: string): number {
  let field = 0;
  let i = 0;
  const n = record.length;
  while (i <= n) {
    if (record[i] === '"') {
      // A quoted field: up to the quote that closes it ("" is a quote inside).
      i++;
      for (;;) {
        if (i >= n) return -1; // unterminated: the parser refuses the file before we see it
        if (record[i] === '"') {
          if (record[i + 1] === '"') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      if (i < n && !record.startsWith(delimiter, i)) return field;
    } else {
      while (i < n && !record.startsWith(delimiter, i)) {
        if (record[i] === '"') return field;
        i++;
      }
    }
    if (i >= n) return -1;
    i += delimiter.length;
    field++;
  }
  return -1;
}
