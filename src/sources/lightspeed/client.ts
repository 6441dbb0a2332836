/**
 * The X-Series 2.0 calls the fetch needs, over the shared HttpClient: the retailer, and one page of a
 * collection after a version. Only an empty page ends a collection; a short page does not. Records come
 * back as sent: the fetch checks them against their schemas (`wire.ts`).
 */
import type { HttpClient } from '../../io/http.js';
import { RemoteError } from '../../io/errors.js';
import type { Logger } from '../../io/log.js';
import type { WireCheck } from '../wireCheck.js';
import { wireCollection, wireRetailer, wireSingle, type WireRetailer } from './wire.js';

/** The page size the spec is confident every server accepts. */
export const SAFE_PAGE_SIZE = 200;

/**
 * Collections whose 2.0 list operation takes `deleted` (tombstones of deleted records). `GET /sales`
 * and `GET /users` take `after`, `before` and `page_size` only: voided sales arrive as `VOIDED`.
 */
const TAKES_DELETED: ReadonlySet<string> = new Set(['customers', 'outlets', 'registers']);

export interface Page {
  /** The records as sent, unchecked. */
  records: unknown[];
  /** Highest version in the page: the next `after`. */
  maxVersion: number;
}

export class LightspeedClient {
  private pageSize: number;

  constructor(
    private readonly http: HttpClient,
    pageSize: number,
    private readonly log: Logger,
    private readonly check: WireCheck,
  ) {
    this.pageSize = pageSize;
  }

  async retailer(): Promise<WireRetailer> {
    const response = await this.http.request<unknown>('GET', 'retailer');
    const body = this.check.one('retailer', wireSingle, response.body);
    return this.check.one('retailer', wireRetailer, body.data);
  }

  /** The records after `after` (tombstones included where the resource offers them), in version order. */
  async page(resource: string, after: number): Promise<Page> {
    let response;
    try {
      response = await this.http.request<unknown>('GET', resource, {
        query: { after, page_size: this.pageSize, deleted: TAKES_DELETED.has(resource) ? true : undefined },
      });
    } catch (error) {
      if (error instanceof RemoteError && error.status === 400 && this.pageSize > SAFE_PAGE_SIZE) {
        this.log.warn(`lightspeed: page_size ${this.pageSize} refused; using ${SAFE_PAGE_SIZE}`);
        this.pageSize = SAFE_PAGE_SIZE;
        return this.page(resource, after);
      }
      throw error;
    }
    const body = this.check.one(resource, wireCollection, response.body);
    let maxVersion = after;
    for (const raw of body.data) {
      const version = (raw as { version?: unknown } | null)?.version;
      if (typeof version === 'number' && Number.isFinite(version) && version > maxVersion) maxVersion = version;
    }
    const stated = body.version?.max;
    if (typeof stated === 'number' && stated > maxVersion) maxVersion = stated;
    if (body.data.length > 0 && maxVersion <= after) {
      throw new RemoteError(`GET ${resource}: paging after ${after} did not move forward`, response.status, 'paging_stuck');
    }
    return { records: body.data, maxVersion };
  }
}
