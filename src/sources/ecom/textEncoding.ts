/**
 * Telling UTF-8 from the encodings spreadsheets still write (Windows-1252 from Excel's "CSV", UTF-16
 * from its "Unicode text"), and decoding those. Node's TextDecoder('windows-1252') decodes as
 * ISO-8859-1 (0x80 becomes U+0080 instead of €), so that table is here.
 */
import { isUtf8 } from 'node:buffer';
import type { Encoding } from './mappingSchema.js';

export interface Utf8Problem {
  /** Byte offset of the first byte that is not UTF-8. */
  offset: number;
  /** 1-based line of that byte. */
  line: number;
  /** The byte itself; absent when the file ends inside a sequence. */
  byte?: number;
}

/** Checks a byte stream chunk by chunk; a sequence split across chunks is carried to the next one. */
export class Utf8Checker {
  private carry: Buffer = Buffer.alloc(0);
  private consumed = 0;
  private line = 1;

  push(chunk: Buffer): Utf8Problem | undefined {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(data);
    const whole = data.subarray(0, cut);
    if (!isUtf8(whole)) return this.locate(whole);
    this.line += countNewlines(whole);
    this.consumed += cut;
    this.carry = Buffer.from(data.subarray(cut));
    return undefined;
  }

  /** A sequence still open at the end of the file is cut off. */
  end(): Utf8Problem | undefined {
    return this.carry.length > 0 ? { offset: this.consumed, line: this.line } : undefined;
  }

  private locate(bytes: Buffer): Utf8Problem {
    let line = this.line;
    let i = 0;
    while (i < bytes.length) {
      const length = sequenceLength(bytes, i);
      if (length === 0) return { offset: this.consumed + i, line, byte: bytes[i] };
      if (bytes[i] === 0x0a) line++;
      i += length;
    }
    return { offset: this.consumed + bytes.length, line };
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** Bytes up to (not including) a multi-byte sequence that the end of `bytes` cuts short. */
function completeLength(bytes: Buffer): number {
  const length = bytes.length;
  for (let i = length - 1; i >= 0 && i >= length - 3; i--) {
    const byte = bytes[i];
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length - i < needed ? i : length;
  }
  return length;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when it is not one (overlong, surrogate, > U+10FFFF). */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const cont = (k: number, low = 0x80, high = 0xbf) => i + k < bytes.length && bytes[i + k] >= low && bytes[i + k] <= high;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Windows-1252 0x80–0x9F; the five unassigned bytes map to the C1 controls, as WHATWG says.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Turns chunks of a non-UTF-8 file into text; multi-byte units split across chunks are joined. */
export interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

export function chunkDecoder(encoding: Exclude<Encoding, 'utf-8'>): ChunkDecoder {
  if (encoding === 'windows-1252') return { write: decodeWindows1252, end: () => '' };
  const decoder = new TextDecoder('utf-16le');
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}

/** The encoding a byte-order mark announces, if any. */
export function encodingFromBom(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}
