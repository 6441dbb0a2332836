/**
 * Square's cursors: opaque, tied to the exact query they were issued for, and short-lived. A cursor
 * sent with other parameters is refused; an expired one answers INVALID_CURSOR.
 */
import type { JsonReply } from '../common.js';

export interface SquareErrorBody {
  category: string;
  code: string;
  detail?: string;
  field?: string;
}

export function squareError(status: number, error: SquareErrorBody): JsonReply {
  return { status, body: { errors: [error] } };
}

export function badRequest(code: string, detail: string, field?: string): JsonReply {
  return squareError(400, { category: 'INVALID_REQUEST_ERROR', code, detail, ...(field ? { field } : {}) });
}

interface IssuedCursor {
  signature: string;
  offset: number;
  issuedAt: number;
}

export type PageResult<T> = { items: T[]; cursor?: string } | { error: JsonReply };

export class CursorBook {
  private readonly issued = new Map<string, IssuedCursor>();
  private serial = 0;
  private failNext = 0;
  /** How an expired cursor is refused: Square's INVALID_CURSOR, or another code that names the `cursor` field. */
  private expiredCode = 'INVALID_CURSOR';
  invalidCursors = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly realNow: () => number = Date.now,
  ) {}

  /**
   * Forgets every cursor handed out, and refuses the next `next` cursors presented, as if they had
   * expired, with `code` (and `field: "cursor"`).
   */
  expire(next = 0, code = 'INVALID_CURSOR'): void {
    this.issued.clear();
    this.failNext += Math.max(0, next);
    this.expiredCode = code;
  }

  /** One page of `items` (already filtered and sorted) for a query with this signature. */
  page<T>(items: readonly T[], size: number, cursor: string | undefined, signature: string): PageResult<T> {
    let offset = 0;
    if (cursor !== undefined && cursor !== '') {
      const found = this.issued.get(cursor);
      if (this.failNext > 0 || !found || this.realNow() - found.issuedAt > this.ttlMs) {
        if (this.failNext > 0) this.failNext--;
        this.issued.delete(cursor);
        this.invalidCursors++;
        return { error: badRequest(this.expiredCode, 'The cursor is invalid or has expired.', 'cursor') };
      }
      if (found.signature !== signature) {
        return {
          error: badRequest('INVALID_VALUE', 'The cursor does not belong to this query: send the original parameters with it.', 'cursor'),
        };
      }
      offset = found.offset;
    }
    const slice = items.slice(offset, offset + size);
    const next = offset + size;
    if (next >= items.length) return { items: slice };
    const token = this.token();
    this.issued.set(token, { signature, offset: next, issuedAt: this.realNow() });
    return { items: slice, cursor: token };
  }

  private token(): string {
    this.serial++;
    const noise = Math.floor(Math.random() * 0xffffffff).toString(36);
    return Buffer.from(`sq:${this.serial}:${noise}`).toString('base64url');
  }
}

/** A query's identity: every parameter but the cursor, in a stable order. */
export function querySignature(url: URL): string {
  const entries = [...url.searchParams.entries()].filter(([key]) => key !== 'cursor');
  entries.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  return `${url.pathname}?${JSON.stringify(entries)}`;
}

export function bodySignature(path: string, body: Record<string, unknown>): string {
  const { cursor: _cursor, ...rest } = body;
  return `${path}:${stableJson(rest)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
