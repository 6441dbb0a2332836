/**
 * Square over the shared HTTP client: every page request repeats the original parameters with the
 * cursor (Square ties a cursor to its query), and an expired cursor restarts the query from its first
 * page, since cursors cannot be renewed.
 */
import { RemoteError } from '../../io/errors.js';
import type { HttpClient } from '../../io/http.js';
import type { Logger } from '../../io/log.js';

type Query = Record<string, string | number | boolean | undefined>;

export type PageRequest =
  | { method: 'GET'; path: string; query: Query }
  | { method: 'POST'; path: string; body: Record<string, unknown> };

/** Restarts of one query before the expired cursor is reported as an error. */
const MAX_CURSOR_RESTARTS = 3;

export class SquareApi {
  cursorRestarts = 0;

  constructor(
    readonly http: HttpClient,
    private readonly log: Logger,
  ) {}

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.http.request<T>('GET', path, { query })).body;
  }

  async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    return (await this.http.request<T>('POST', path, { body })).body;
  }

  /**
   * The pages of a query, as arrays of `key` items (`{}` is an empty page). `request` is asked again
   * on a restart, so a stream can resume from its latest checkpoint instead of the very beginning.
   */
  async *pages<T>(key: string, request: () => PageRequest): AsyncGenerator<T[]> {
    let current = request();
    let cursor: string | undefined;
    let restarts = 0;
    for (;;) {
      let body: Record<string, unknown>;
      try {
        body = await this.fetchPage(current, cursor);
      } catch (error) {
        const expired = error instanceof RemoteError && error.code === 'INVALID_CURSOR';
        if (!expired || cursor === undefined || restarts >= MAX_CURSOR_RESTARTS) throw error;
        restarts++;
        this.cursorRestarts++;
        this.log.debug(`${current.path}: cursor expired; restarting the query (${restarts}/${MAX_CURSOR_RESTARTS})`);
        current = request();
        cursor = undefined;
        continue;
      }
      const items = body[key];
      yield Array.isArray(items) ? (items as T[]) : [];
      const next = body.cursor;
      if (typeof next !== 'string' || next === '') return;
      cursor = next;
    }
  }

  private fetchPage(request: PageRequest, cursor: string | undefined): Promise<Record<string, unknown>> {
    if (request.method === 'GET') return this.get(request.path, cursor === undefined ? request.query : { ...request.query, cursor });
    return this.post(request.path, cursor === undefined ? request.body : { ...request.body, cursor });
  }
}
