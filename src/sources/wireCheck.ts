/**
 * Every record a vendor sends is checked against its wire schema (the vendor's OpenAPI shape, in zod)
 * before it becomes a canonical record, so a missing amount, date or status is never read as a zero, a
 * 1970 date or a completed sale. A record that fails is set aside as a reject (stream, id, field,
 * reason) and counted; when more than `maxShare` of a page fails, the page is taken for a change of the
 * vendor's API shape: the fetch stops with a remote error (exit 4) before anything of that page is
 * stored or its bookmark saved. The rejects go to `data/rejects/<source>-<stamp>.csv`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { SourceName } from '../core/model.js';
import { inert, writeCsvFile } from '../io/csvFormat.js';
import { RemoteError } from '../io/errors.js';
import type { Logger } from '../io/log.js';
import type { FetchOptions } from './fetchTypes.js';

export interface WireReject {
  stream: string;
  /** The record's id as sent, or empty when it has none. */
  id: string;
  /** The fields that failed, `;`-separated (`amount_money.amount`). */
  field: string;
  reason: string;
}

export const REJECT_COLUMNS = ['stream', 'id', 'field', 'reason'] as const;

/** A file-name-safe UTC stamp: `20250630T120000Z`. */
export const fileStamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

export class WireCheck {
  readonly rejects: WireReject[] = [];

  constructor(
    readonly source: SourceName,
    /** Share of a page that may fail before the page counts as a changed API shape (0.05 = 5 %). */
    private readonly maxShare: number,
    /** Names the API version in messages (`API 2.0`, `Square-Version 2025-08-20`). */
    private readonly apiLabel: string,
  ) {}

  /** The records of one page that match `schema`, in order; the others become rejects. */
  page<S extends z.ZodType>(stream: string, schema: S, items: readonly unknown[]): z.output<S>[] {
    return this.aligned(stream, schema, items).filter((record): record is z.output<S> => record !== undefined);
  }

  /** As `page`, but one entry per item: the checked record, or undefined where the item was rejected. */
  aligned<S extends z.ZodType>(stream: string, schema: S, items: readonly unknown[]): (z.output<S> | undefined)[] {
    const out: (z.output<S> | undefined)[] = [];
    const bad: WireReject[] = [];
    for (const item of items) {
      const parsed = schema.safeParse(item);
      if (parsed.success) out.push(parsed.data);
      else {
        out.push(undefined);
        bad.push(describe(stream, item, parsed.error));
      }
    }
    this.rejects.push(...bad);
    if (bad.length > 0 && bad.length > this.maxShare * items.length) throw this.drift(stream, bad, items.length);
    return out;
  }

  /** A single object (a retailer, a token status): if it does not match, the shape has changed. */
  one<S extends z.ZodType>(stream: string, schema: S, item: unknown): z.output<S> {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    const reject = describe(stream, item, parsed.error);
    this.rejects.push(reject);
    throw this.drift(stream, [reject], 1);
  }

  /**
   * Writes the rejects of the run, if any, and says how many there were; called when the fetch ends,
   * whether it succeeded or not.
   */
  async report(options: Pick<FetchOptions<unknown>, 'rejectsDir' | 'store'>, startedAt: number, log: Logger): Promise<{ rejected: number; rejectsFile?: string }> {
    const rejectsFile = await this.write(options.rejectsDir ?? join(dirname(options.store.cacheDir), 'rejects'), startedAt);
    if (rejectsFile) log.warn(`${this.source}: ${this.rejects.length} record(s) did not match the ${this.apiLabel} shape and were set aside -> ${rejectsFile}`);
    return rejectsFile ? { rejected: this.rejects.length, rejectsFile } : { rejected: 0 };
  }

  /** Writes the rejects, if any, to `<dir>/<source>-<stamp>.csv` and returns its path. */
  async write(dir: string, startedAt: number): Promise<string | undefined> {
    if (this.rejects.length === 0) return undefined;
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${this.source}-${fileStamp(startedAt)}.csv`);
    await writeCsvFile(
      path,
      REJECT_COLUMNS,
      this.rejects.map((r) => [inert(r.stream), inert(r.id), inert(r.field), inert(r.reason)]),
    );
    return path;
  }

  private drift(stream: string, bad: readonly WireReject[], pageSize: number): RemoteError {
    const field = mostCommonField(bad);
    const example = bad.find((r) => r.field.split(';').includes(field)) ?? bad[0];
    const reason = example.reason.split('; ')[example.field.split(';').indexOf(field)] ?? example.reason;
    return new RemoteError(
      `${this.source} ${stream}: ${bad.length} of ${pageSize} record(s) on a page do not match the ${this.apiLabel} shape ` +
        `(field ${field}: ${reason}); the vendor may have changed the API shape. Nothing from this page was stored`,
      200,
      'WIRE_SHAPE',
      undefined,
      {
        hint:
          `the records are listed in the rejects file named above; if only these records are odd, ` +
          `raise ${this.source}.maxRejectShare in the config to let the run set them aside`,
      },
    );
  }
}

function describe(stream: string, item: unknown, error: z.ZodError): WireReject {
  const rawId = item && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
  const fields: string[] = [];
  const reasons: string[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '(record)';
    if (fields.includes(field)) continue;
    fields.push(field);
    reasons.push(reasonOf(issue, valueAt(item, issue.path)));
  }
  return { stream, id: typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : '', field: fields.join(';'), reason: reasons.join('; ') };
}

function reasonOf(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  const shown = typeof value === 'string' || typeof value === 'number' ? ` (got ${JSON.stringify(value).slice(0, 60)})` : '';
  return `${issue.code === 'invalid_value' ? 'not one of the values the API defines' : issue.message}${shown}`;
}

function valueAt(item: unknown, path: readonly PropertyKey[]): unknown {
  let value = item;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function mostCommonField(rejects: readonly WireReject[]): string {
  const counts = new Map<string, number>();
  for (const reject of rejects) for (const field of reject.field.split(';')) counts.set(field, (counts.get(field) ?? 0) + 1);
  let best = '';
  let most = 0;
  for (const [field, n] of counts) {
    if (n > most) {
      best = field;
      most = n;
    }
  }
  return best;
}
