/**
 * `ca fetch square`: locations, team, customers, payments, refunds and bookings from Square into the
 * canonical store, incrementally from the saved state (see docs/sources/square.md).
 */
import type { SourceName } from '../../core/model.js';
import { HttpClient } from '../../io/http.js';
import { checkStoreIdentity, writeStoreIdentity } from '../storeIdentity.js';
import { WireCheck } from '../wireCheck.js';
import { fetchBookings } from './bookingsStream.js';
import { reconcileCustomers } from './customerResolver.js';
import { fetchCustomers } from './customersStream.js';
import { fetchLocations, fetchTeam, storeLocations } from './dimensionStreams.js';
import { fetchPayments } from './paymentsStream.js';
import { fetchRefunds } from './refundsStream.js';
import { settingsSchema, type SquareSettings, type SquareSettingsInput } from './settings.js';
import { SquareApi } from './squareApi.js';
import type { FetchOptions as SharedFetchOptions, FetchSummary } from '../fetchTypes.js';
import { SquareRun } from './squareRun.js';
import { checkState, type SquareState } from './state.js';
import { checkToken } from './tokenStatus.js';

export { settingsSchema, type SquareSettings, type SquareSettingsInput } from './settings.js';
export type { SquareState } from './state.js';

export type FetchOptions = SharedFetchOptions<SquareSettingsInput>;
export type { FetchSummary } from '../fetchTypes.js';

const SOURCE: SourceName = 'square';

export async function fetchSquare(options: FetchOptions): Promise<FetchSummary> {
  const settings = settingsSchema.parse(options.settings ?? {});
  const check = new WireCheck(SOURCE, settings.maxRejectShare, `Square-Version ${settings.squareVersion}`);
  const startedAt = options.now();
  let summary: FetchSummary | undefined;
  try {
    summary = await fetchAll(options, settings, check, startedAt);
    return summary;
  } finally {
    const rejects = await check.report(options, startedAt, options.log);
    if (summary) Object.assign(summary, rejects);
  }
}

async function fetchAll(options: FetchOptions, settings: SquareSettings, check: WireCheck, startedAt: number): Promise<FetchSummary> {
  const http = new HttpClient({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}`, 'square-version': settings.squareVersion },
    dispatcher: options.dispatcher,
    sleep: options.sleep,
    now: options.now,
    log: options.log,
    hostSetting: /^https:\/\/connect\.squareup(sandbox)?\.com\/?$/.test(options.baseUrl) ? 'SQUARE_ENVIRONMENT' : 'SQUARE_BASE_URL',
  });
  const api = new SquareApi(http, options.log, check);

  // The token and its store are checked before `--full` throws anything away.
  const token = await checkToken(api, settings, options.log);
  const locations = await fetchLocations(api);
  const merchantId = token.merchant_id ?? locations.find((l) => l.merchant_id)?.merchant_id;
  const identity = merchantId ? { id: merchantId, label: locations.find((l) => l.business_name)?.business_name ?? merchantId } : undefined;
  if (!identity) options.log.warn('square: neither the token status nor the locations name the merchant; the cache cannot tell which store it holds');
  if (options.full) {
    await options.store.reset(SOURCE);
    if (identity) await writeStoreIdentity(options.store, SOURCE, identity);
  } else if (identity) {
    await checkStoreIdentity(options.store, SOURCE, identity);
  }
  const state: SquareState = checkState(await options.store.readState(SOURCE), `${options.store.cacheDir}/${SOURCE}/state.json`);
  const run = new SquareRun(api, options.store, state, settings, startedAt, options.log, options.lookbackDays, options.progress);

  await storeLocations(run, locations);
  await fetchTeam(run);
  await fetchCustomers(run);
  const customerOfPayment = new Map<string, string | undefined>();
  await fetchPayments(run, locations, customerOfPayment);
  await fetchRefunds(run, customerOfPayment);
  await fetchBookings(run, locations);
  await reconcileCustomers(run);

  state.lastCompletedAt = startedAt;
  await options.store.writeState(SOURCE, state);
  await options.store.compact(SOURCE);
  if (api.cursorRestarts > 0) options.log.debug(`square: ${api.cursorRestarts} expired cursor(s) restarted`);
  for (const [stream, t] of Object.entries(run.streams)) {
    options.log.debug(`square ${stream}: ${t.added} new, ${t.updated} updated${t.deleted ? `, ${t.deleted} deleted` : ''}`);
  }
  return {
    source: SOURCE,
    streams: run.streams,
    requests: http.stats.requests,
    rateLimited: http.stats.rateLimited,
    retries: http.stats.retries,
    rejected: 0,
  };
}
