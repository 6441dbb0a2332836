/**
 * The X-Series 2.0 calls the fetch needs, over the shared HttpClient: the retailer, and one page of a
 * collection after a version. Only an empty page ends a collection; a short page does not.
 */
import type { HttpClient } from '../../io/http.js';
import { RemoteError } from '../../io/errors.js';
import type { Logger } from '../../io/log.js';
import type { WirePage, WireRecord } from './wire.js';

/** The page size the spec is confident every server accepts. */
export const SAFE_PAGE_SIZE = 200;

export interface Page<T extends WireRecord> {
  records: T[];
  /** Highest version in the page: the next `after`. */
  maxVersion: number;
}

export class LightspeedClient {
  private pageSize: number;

  constructor(
    private readonly http: HttpClient,
    pageSize: number,
    private readonly log: Logger,
  ) {
    this.pageSize = pageSize;
  }

  async retailer(): Promise<Record<string, unknown>> {
    const response = await this.http.request<{ data?: Record<string, unknown> }>('GET', 'retailer');
    return response.body.data ?? {};
  }

  /** The records after `after`, tombstones included (`deleted=true`), in version order. */
  async page<T extends WireRecord>(resource: string, after: number): Promise<Page<T>> {
    let response;
    try {
      response = await this.http.request<WirePage<T>>('GET', resource, {
        query: { after, page_size: this.pageSize, deleted: true },
      });
    } catch (error) {
      if (error instanceof RemoteError && error.status === 400 && this.pageSize > SAFE_PAGE_SIZE) {
        this.log.warn(`lightspeed: page_size ${this.pageSize} refused; using ${SAFE_PAGE_SIZE}`);
        this.pageSize = SAFE_PAGE_SIZE;
        return this.page<T>(resource, after);
      }
      throw error;
    }
    const body = response.body;
    if (!body || !Array.isArray(body.data)) {
      throw new RemoteError(`GET ${resource}: the answer has no data list`, response.status, 'unexpected_shape');
    }
    let maxVersion = after;
    const records: T[] = [];
    for (const raw of body.data) {
      const version = typeof raw?.version === 'string' ? Number(raw.version) : raw?.version;
      if (!raw || typeof raw.id !== 'string' || typeof version !== 'number' || !Number.isFinite(version)) {
        throw new RemoteError(`GET ${resource}: a record without id or version`, response.status, 'unexpected_shape');
      }
      records.push(version === raw.version ? raw : { ...raw, version });
      if (version > maxVersion) maxVersion = version;
    }
    const stated = body.version?.max;
    if (typeof stated === 'number' && stated > maxVersion) maxVersion = stated;
    if (records.length > 0 && maxVersion <= after) {
      throw new RemoteError(`GET ${resource}: paging after ${after} did not move forward`, response.status, 'paging_stuck');
    }
    return { records, maxVersion };
  }
}
