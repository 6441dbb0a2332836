/**
 * Square over the shared HTTP client: every page request repeats the original parameters with the
 * cursor (Square ties a cursor to its query), an expired cursor restarts the query from its first
 * page (cursors cannot be renewed), every page is checked against its wire schema, and a 403 names
 * the OAuth scope the endpoint needs.
 */
import type { z } from 'zod';
import { AuthError, RemoteError } from '../../io/errors.js';
import type { HttpClient } from '../../io/http.js';
import type { Logger } from '../../io/log.js';
import type { WireCheck } from '../wireCheck.js';
import { squareList } from './wire.js';

type Query = Record<string, string | number | boolean | undefined>;

export type PageRequest =
  | { method: 'GET'; path: string; query: Query }
  | { method: 'POST'; path: string; body: Record<string, unknown> };

/** Restarts of one query before the expired cursor is reported as an error. */
const MAX_CURSOR_RESTARTS = 3;

/** The OAuth scope each endpoint `ca` calls needs (the `security` of each operation in Square's file). */
const SCOPES: ReadonlyArray<[prefix: string, scope: string]> = [
  ['/v2/customers', 'CUSTOMERS_READ'],
  ['/v2/bookings', 'APPOINTMENTS_READ'],
  ['/v2/payments', 'PAYMENTS_READ'],
  ['/v2/refunds', 'PAYMENTS_READ'],
  ['/v2/locations', 'MERCHANT_PROFILE_READ'],
  ['/v2/team-members', 'EMPLOYEES_READ'],
  ['/v2/catalog', 'ITEMS_READ'],
  ['/v2/orders', 'ORDERS_READ'],
];

/** A 403: the token lacks the scope this endpoint needs. */
export class MissingScopeError extends AuthError {
  constructor(
    readonly path: string,
    readonly scope: string,
    code: string | undefined,
  ) {
    super(`square: ${path} needs the scope ${scope}, which the token lacks (HTTP 403${code ? ` ${code}` : ''})`, {
      hint: `grant ${scope} to the token (a personal access token has every scope) and run again; what was fetched before is kept`,
      status: 403,
      code,
    });
  }
}

/** Square's "this cursor is no good": `INVALID_CURSOR`, or a 400 whose error names the `cursor` field. */
export function isExpiredCursor(error: unknown): boolean {
  return error instanceof RemoteError && (error.code === 'INVALID_CURSOR' || (error.status === 400 && error.field === 'cursor'));
}

export class SquareApi {
  cursorRestarts = 0;

  constructor(
    readonly http: HttpClient,
    private readonly log: Logger,
    readonly check: WireCheck,
  ) {}

  async get(path: string, query: Query = {}): Promise<unknown> {
    return this.scoped(path, async () => (await this.http.request<unknown>('GET', path, { query })).body);
  }

  async post(path: string, body: Record<string, unknown>): Promise<unknown> {
    return this.scoped(path, async () => (await this.http.request<unknown>('POST', path, { body })).body);
  }

  /**
   * The pages of a query, each as the `key` items that match `schema` (`{}` is an empty page).
   * `request` is asked again on a restart, so a stream can resume from its latest checkpoint instead
   * of the very beginning.
   */
  async *pages<S extends z.ZodType>(stream: string, key: string, schema: S, request: () => PageRequest): AsyncGenerator<z.output<S>[]> {
    for await (const items of this.rawPages(stream, key, request)) yield this.check.page(stream, schema, items);
  }

  /** As `pages`, but each page's items as sent: the sync loop checks them against the stream's schema. */
  async *rawPages(stream: string, key: string, request: () => PageRequest): AsyncGenerator<unknown[]> {
    const envelope = squareList(key);
    let current = request();
    let cursor: string | undefined;
    let restarts = 0;
    for (;;) {
      let body: unknown;
      try {
        body = await this.fetchPage(current, cursor);
      } catch (error) {
        if (!isExpiredCursor(error) || cursor === undefined || restarts >= MAX_CURSOR_RESTARTS) throw error;
        restarts++;
        this.cursorRestarts++;
        this.log.debug(`${current.path}: cursor expired; restarting the query (${restarts}/${MAX_CURSOR_RESTARTS})`);
        current = request();
        cursor = undefined;
        continue;
      }
      const page = this.check.one(stream, envelope, body) as Record<string, unknown> & { cursor?: string | null };
      yield (page[key] as unknown[] | undefined) ?? [];
      const next = page.cursor;
      if (typeof next !== 'string' || next === '') return;
      cursor = next;
    }
  }

  private fetchPage(request: PageRequest, cursor: string | undefined): Promise<unknown> {
    if (request.method === 'GET') return this.get(request.path, cursor === undefined ? request.query : { ...request.query, cursor });
    return this.post(request.path, cursor === undefined ? request.body : { ...request.body, cursor });
  }

  private async scoped<T>(path: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AuthError) || error.status !== 403) throw error;
      const scope = SCOPES.find(([prefix]) => path.startsWith(prefix))?.[1];
      if (!scope) throw error;
      throw new MissingScopeError(path, scope, error.code);
    }
  }
}
