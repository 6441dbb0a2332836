/** Lightspeed Retail X-Series: the fetch the CLI wires into `ca fetch lightspeed` and `ca update`. */
export { fetchLightspeed, apiBaseUrl, type LightspeedFetchOptions, type FetchSummary, type StreamCounts } from './fetchLightspeed.js';
export { settingsSchema, type LightspeedSettings, type LightspeedSettingsInput } from './settings.js';
export { normalizeCustomer } from './normalizeCustomer.js';
export { normalizeSale, saleTotal, type SaleContext } from './normalizeSale.js';
export { saleStatus } from './saleStatus.js';
export { LightspeedRateLimitPolicy } from './rateLimitPolicy.js';
export { lightspeedRetryAfterMs } from './retryAfter.js';
