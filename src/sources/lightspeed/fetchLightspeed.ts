/**
 * `ca fetch lightspeed`: brings X-Series outlets, registers, users, customers and sales into the store,
 * incrementally by the global `version` cursor of each stream. The cursor sees every change and
 * deletion, so a look-back (`ca update --days=N`) has nothing to add here and is not applied: a run
 * with no changes costs one closing (empty) page per stream.
 *
 * At least once, never lost: each page is appended (fsynced) before the cursor that covers it is saved,
 * so a run killed anywhere resumes from its last saved page and re-reads at most one page, which the
 * store's newest-version-wins upsert makes harmless. `full` checks the credentials, then starts over.
 */
import { ConfigError } from '../../io/errors.js';
import { HttpClient } from '../../io/http.js';
import { LightspeedClient } from './client.js';
import { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
import { lightspeedRetryAfterMs } from './retryAfter.js';
import { settingsSchema, type LightspeedSettingsInput } from './settings.js';
import { emptyState, parseState, STREAMS, type LightspeedState } from './state.js';
import type { FetchOptions, FetchSummary, StreamCounts } from '../fetchTypes.js';
import { addOnce, createStreamHandlers, SOURCE } from './streams.js';
import { text } from './wire.js';

export type LightspeedFetchOptions = FetchOptions<LightspeedSettingsInput>;
export type { FetchSummary, StreamCounts } from '../fetchTypes.js';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function fetchLightspeed(options: LightspeedFetchOptions): Promise<FetchSummary> {
  const settings = settingsSchema.parse(options.settings ?? {});
  if (!options.token) throw new ConfigError('no Lightspeed token', { hint: 'set LIGHTSPEED_TOKEN' });
  const { store, log } = options;
  const sleep = options.sleep ?? realSleep;
  const policy = new LightspeedRateLimitPolicy({
    windowMs: settings.rateLimitWindowSeconds * 1000,
    reserve: settings.rateLimitReserve,
    slowDownBelow: settings.slowDownBelow,
    now: options.now,
    sleep,
  });
  const http = new HttpClient({
    baseUrl: apiBaseUrl(options.baseUrl, settings.apiPath),
    headers: { authorization: `Bearer ${options.token}` },
    dispatcher: options.dispatcher,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    maxWaitMs: settings.maxWaitMs,
    rateLimit: policy,
    retryAfterMs: (_status, headers, now) => lightspeedRetryAfterMs(headers, now),
    // Connectors report 400 "Please try again later." as a transient refusal.
    classify: (status, body) => (status === 400 && /try again/i.test(JSON.stringify(body ?? '')) ? 'retry' : undefined),
    sleep,
    now: options.now,
    log,
  });
  const client = new LightspeedClient(http, settings.pageSize, log);

  let state: LightspeedState;
  if (options.full) {
    const retailer = await client.retailer();
    await store.reset(SOURCE);
    state = emptyState();
    applyRetailer(state, retailer);
  } else {
    state = parseState(await store.readState(SOURCE));
    if (!state.currency) applyRetailer(state, await client.retailer());
  }
  if (!state.currency) log.warn('lightspeed: the retailer states no currency; amounts are read as USD');
  for (const id of settings.walkInCustomerIds) addOnce(state.walkInCustomerIds, id);
  policy.setRegisterCount(state.activeRegisters.length);

  const summary: FetchSummary = { source: SOURCE, streams: {}, requests: 0, rateLimited: 0, retries: 0 };
  const unknownStatuses = new Set<string>();

  const handlers = createStreamHandlers({
    store,
    state,
    policy,
    knownLocations: new Set((await store.readDimensions(SOURCE, 'locations')).map((e) => e.id)),
    knownStaff: new Set((await store.readDimensions(SOURCE, 'staff')).map((e) => e.id)),
    unknownStatuses,
    onlineSources: new Set(settings.onlineSources.map((s) => s.toUpperCase())),
  });

  for (const stream of STREAMS) {
    const counts: StreamCounts = { added: 0, updated: 0, deleted: 0 };
    summary.streams[stream] = counts;
    const saved = state.streams[stream] ?? { cursor: 0 };
    state.streams[stream] = saved;
    const requestsBefore = http.stats.requests;
    let records = 0;
    for (;;) {
      const page = await client.page(stream, saved.cursor);
      if (page.records.length === 0) break;
      const pageCounts = await handlers[stream](page.records);
      // Saved after the page is stored: a run killed anywhere resumes from its last stored page.
      saved.cursor = page.maxVersion;
      await store.writeState(SOURCE, state);
      counts.added += pageCounts.added;
      counts.updated += pageCounts.updated;
      counts.deleted += pageCounts.deleted;
      records += page.records.length;
      log.debug(`lightspeed ${stream}: ${records} records, after=${saved.cursor}`);
      options.progress?.({ stream, records: page.records.length });
    }
    log.debug(
      `lightspeed ${stream}: ${counts.added} new, ${counts.updated} updated, ${counts.deleted} deleted ` +
        `(${http.stats.requests - requestsBefore} requests)`,
    );
  }
  if (unknownStatuses.size > 0) {
    log.warn(`lightspeed: sales with unknown status/state ${[...unknownStatuses].join(', ')} were kept as open (not counted)`);
  }
  await store.compact(SOURCE);
  summary.requests = http.stats.requests;
  summary.rateLimited = http.stats.rateLimited;
  summary.retries = http.stats.retries;
  return summary;
}

/** `https://x.retail.lightspeed.app` + `/api/2.0`, unless the URL already ends with the API path. */
export function apiBaseUrl(baseUrl: string, apiPath: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`not a URL: ${baseUrl}`, { hint: 'set LIGHTSPEED_DOMAIN_PREFIX or LIGHTSPEED_BASE_URL' });
  }
  const path = '/' + apiPath.replace(/^\/+|\/+$/g, '');
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = base.endsWith(path) ? base : base + path;
  return url.toString();
}

function applyRetailer(state: LightspeedState, retailer: Record<string, unknown>): void {
  const currency = retailer.currency;
  const code = typeof currency === 'string' ? currency : text((currency as { code?: unknown } | undefined)?.code);
  state.currency = code?.toUpperCase() ?? state.currency;
  // Not in the 2.0 spec; used where a retailer names its default customer.
  const defaultCustomer = text(retailer.default_customer_id);
  if (defaultCustomer) addOnce(state.walkInCustomerIds, defaultCustomer);
}



