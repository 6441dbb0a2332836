/**
 * `ca fetch lightspeed`: brings X-Series outlets, registers, users, customers and sales into the store,
 * incrementally by the global `version` cursor of each stream. The cursor sees every change and
 * deletion, so a look-back (`ca update --days=N`) has nothing to add here and is not applied: a run
 * with no changes costs one closing (empty) page per stream.
 *
 * At least once, never lost: each stream runs through the sync loop (src/sources/syncLoop.ts), which
 * appends a page (fsynced) before the cursor that covers it is saved, so a run killed anywhere resumes from its last saved page and re-reads at most one page, which the
 * store's newest-version-wins upsert makes harmless. Every run first reads the retailer, which checks
 * the token and that the cache holds this store's data; `full` then starts over.
 */
import { AuthError, ConfigError } from '../../io/errors.js';
import { HttpClient } from '../../io/http.js';
import type { Logger } from '../../io/log.js';
import { checkStoreIdentity, writeStoreIdentity, type StoreIdentity } from '../storeIdentity.js';
import { addCounts, syncStream } from '../syncLoop.js';
import { WireCheck } from '../wireCheck.js';
import { LightspeedClient } from './client.js';
import { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
import { lightspeedRetryAfterMs } from './retryAfter.js';
import { LIGHTSPEED_API_PATH, LIGHTSPEED_API_VERSION, settingsSchema, type LightspeedSettings, type LightspeedSettingsInput } from './settings.js';
import { emptyState, parseState, STREAMS, type LightspeedState, type StreamName } from './state.js';
import type { FetchOptions, FetchSummary, StreamCounts } from '../fetchTypes.js';
import { addOnce, createStreamHandlers, isoCode, SOURCE } from './streams.js';
import { text, type WireRetailer } from './wire.js';

export type LightspeedFetchOptions = FetchOptions<LightspeedSettingsInput>;
export type { FetchSummary, StreamCounts } from '../fetchTypes.js';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The OAuth scope each read needs, and whether the fetch can go on without it: outlets, registers and
 * users only name things (a 403 there is a warning, ids stay as they are); the retailer, customers
 * and sales carry the data (a 403 there stops the fetch, exit 3).
 */
const SCOPES: Record<StreamName | 'retailer', { scope: string; without?: string }> = {
  retailer: { scope: 'retailer:read' },
  outlets: { scope: 'outlets:read', without: 'locations keep their ids as names and their days are counted in UTC' },
  registers: { scope: 'registers:read', without: 'the rate budget assumes the registers already known' },
  users: { scope: 'users:read', without: 'staff keep their ids as names' },
  customers: { scope: 'customers:read' },
  sales: { scope: 'sales:read' },
};

export async function fetchLightspeed(options: LightspeedFetchOptions): Promise<FetchSummary> {
  const settings = settingsSchema.parse(options.settings ?? {});
  if (!options.token) throw new ConfigError('no Lightspeed token', { hint: 'set LIGHTSPEED_TOKEN' });
  const check = new WireCheck(SOURCE, settings.maxRejectShare, `Lightspeed API ${LIGHTSPEED_API_VERSION}`);
  const startedAt = options.now();
  let summary: FetchSummary | undefined;
  try {
    summary = await fetchStreams(options, settings, check);
    return summary;
  } finally {
    const rejects = await check.report(options, startedAt, options.log);
    if (summary) Object.assign(summary, rejects);
  }
}

async function fetchStreams(
  options: LightspeedFetchOptions,
  settings: LightspeedSettings,
  check: WireCheck,
): Promise<FetchSummary> {
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
    baseUrl: apiBaseUrl(options.baseUrl, LIGHTSPEED_API_PATH),
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
    hostSetting: hostSetting(options.baseUrl),
  });
  const client = new LightspeedClient(http, settings.pageSize, log, check);

  const retailer = await withScope('retailer', log, () => client.retailer());
  const identity: StoreIdentity = { id: retailer.id, label: text(retailer.domain_prefix) ?? options.baseUrl };
  let state: LightspeedState;
  if (options.full) {
    await store.reset(SOURCE);
    await writeStoreIdentity(store, SOURCE, identity);
    state = emptyState();
  } else {
    await checkStoreIdentity(store, SOURCE, identity);
    state = parseState(await store.readState(SOURCE));
  }
  applyRetailer(state, retailer);
  for (const id of settings.walkInCustomerIds) addOnce(state.walkInCustomerIds, id);
  policy.setRegisterCount(state.activeRegisters.length);

  const summary: FetchSummary = { source: SOURCE, streams: {}, requests: 0, rateLimited: 0, retries: 0, rejected: 0 };

  const handlers = createStreamHandlers({
    store,
    state,
    policy,
    knownLocations: new Set((await store.readDimensions(SOURCE, 'locations')).map((e) => e.id)),
    knownStaff: new Set((await store.readDimensions(SOURCE, 'staff')).map((e) => e.id)),
    onlineSources: new Set(settings.onlineSources.map((s) => s.toUpperCase())),
  });

  for (const stream of STREAMS) {
    const counts: StreamCounts = { added: 0, updated: 0, deleted: 0 };
    summary.streams[stream] = counts;
    const saved = state.streams[stream] ?? { cursor: 0 };
    state.streams[stream] = saved;
    const requestsBefore = http.stats.requests;
    let records = 0;
    await syncStream(
      {
        ...handlers[stream],
        // Pages after the cursor until an empty one (or a 403 on a stream that only names things).
        async *pages() {
          for (;;) {
            const page = await withScope(stream, log, () => client.page(stream, saved.cursor));
            if (!page || page.records.length === 0) return;
            yield {
              records: page.records,
              advance: () => {
                saved.cursor = page.maxVersion;
                records += page.records.length;
                log.debug(`lightspeed ${stream}: ${records} records, after=${saved.cursor}`);
              },
            };
          }
        },
      },
      { check, tally: (stored) => addCounts(counts, stored), saveState: () => store.writeState(SOURCE, state), progress: options.progress },
    );
    log.debug(
      `lightspeed ${stream}: ${counts.added} new, ${counts.updated} updated, ${counts.deleted} deleted ` +
        `(${http.stats.requests - requestsBefore} requests)`,
    );
  }
  await store.compact(SOURCE);
  summary.requests = http.stats.requests;
  summary.rateLimited = http.stats.rateLimited;
  summary.retries = http.stats.retries;
  return summary;
}

/** Which variable the host came from: the domain prefix makes `{prefix}.retail.lightspeed.app`. */
function hostSetting(baseUrl: string): string {
  let host = '';
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // apiBaseUrl says so.
  }
  return host.endsWith('.retail.lightspeed.app')
    ? `LIGHTSPEED_DOMAIN_PREFIX ("${host.slice(0, -'.retail.lightspeed.app'.length)}": mystore in mystore.retail.lightspeed.app)`
    : 'LIGHTSPEED_BASE_URL';
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

function applyRetailer(state: LightspeedState, retailer: WireRetailer): void {
  state.currency = retailer.currency.code.toUpperCase();
  const country = isoCode(retailer.country, 2);
  if (country) state.country = country;
  // Not in the 2.0 spec; used where a retailer names its default customer.
  const defaultCustomer = text(retailer.default_customer_id);
  if (defaultCustomer) addOnce(state.walkInCustomerIds, defaultCustomer);
}

/**
 * Runs one read; a 403 (a scope the token lacks) on a stream that only names things is a warning and
 * undefined (the fetch goes on), on one that carries data an auth error naming the scope.
 */
function withScope<T>(stream: 'retailer' | 'customers' | 'sales', log: Logger, read: () => Promise<T>): Promise<T>;
function withScope<T>(stream: StreamName, log: Logger, read: () => Promise<T>): Promise<T | undefined>;
async function withScope<T>(stream: StreamName | 'retailer', log: Logger, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof AuthError) || error.status !== 403) throw error;
    const { scope, without } = SCOPES[stream];
    if (without) {
      log.warn(`lightspeed ${stream}: the token may not read ${stream} (HTTP 403; scope ${scope}): ${without}`);
      return undefined;
    }
    throw new AuthError(`lightspeed ${stream}: the token may not read ${stream} (HTTP 403): it needs the scope ${scope}`, {
      hint: `give the token ${scope} (a personal token has every scope) and run again; what was fetched before is kept`,
      status: 403,
      code: error.code,
    });
  }
}
