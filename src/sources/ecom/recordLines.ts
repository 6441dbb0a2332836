/**
 * Line numbers of parsed records, counted from each record's raw text. csv-parse's own `info.lines`
 * counts a CRLF inside a quoted field twice, and its raw text drops the LF of a CRLF record end, so
 * CRLF, a lone CR and a lone LF each count as one line break here.
 */
export class RecordLines {
  /** Lines fully consumed so far. */
  private consumed = 0;

  /** The 1-based line where the record whose raw text is `raw` starts (blank lines before it skipped). */
  next(raw: string): number {
    const leading = /^[\r\n]*/.exec(raw)![0];
    const start = this.consumed + 1 + countBreaks(leading);
    this.consumed += countBreaks(raw);
    return start;
  }

  /** The record text without blank lines before it or its line break after it. */
  static content(raw: string): string {
    return raw.replace(/^[\r\n]+/, '').replace(/(\r\n|\r|\n)$/, '');
  }
}

function countBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x0a) count++;
    else if (char === 0x0d) {
      count++;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  return count;
}
