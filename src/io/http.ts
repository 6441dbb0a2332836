/**
 * The one HTTP client every vendor uses. What is retried, what fails and how long to wait is decided
 * here, in one table (`defaultAction`), with vendor overrides passed in as options.
 */
import type { Dispatcher } from 'undici';
import { AuthError, ConfigError, NetworkError, RateLimitError, RemoteError } from './errors.js';
import { silentLogger, type Logger } from './log.js';

export interface RateLimitPolicy {
  /** Waits here when the budget says so. */
  beforeRequest(): Promise<void>;
  /** Learns from every response's headers. */
  observe(status: number, headers: Record<string, string>): void;
}

export type Classification = 'retry' | 'fail' | undefined;

export interface HttpClientOptions {
  baseUrl: string;
  /** Auth goes here; never logged, never in an error message. */
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  /** Per request. */
  timeoutMs?: number;
  /** Retriable failures in a row before giving up. */
  maxRetries?: number;
  /** One wait longer than this is an error instead of a sleep. */
  maxWaitMs?: number;
  rateLimit?: RateLimitPolicy;
  retryAfterMs?: (status: number, headers: Record<string, string>, now: number) => number | undefined;
  classify?: (status: number, body: unknown) => Classification;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Logger;
  /** Seeded in tests; Math.random otherwise. */
  random?: () => number;
  /** The setting the host comes from (`LIGHTSPEED_DOMAIN_PREFIX`), named when the host does not resolve. */
  hostSetting?: string;
}

export interface HttpResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface HttpStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

type Query = Record<string, string | number | boolean | undefined>;

const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/** Statuses worth another try: timeouts, too early, rate limited, and server-side trouble. */
function defaultAction(status: number): 'ok' | 'retry' | 'auth' | 'fail' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'fail';
}

/** Retry-After as seconds or as an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

class RetriableFailure extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly options: Required<Pick<HttpClientOptions, 'timeoutMs' | 'maxRetries' | 'maxWaitMs'>> &
    HttpClientOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(options: HttpClientOptions) {
    this.options = { timeoutMs: 30_000, maxRetries: 8, maxWaitMs: 600_000, ...options };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.random = options.random ?? Math.random;
  }

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<HttpResponse<T>> {
    const url = this.url(path, options.query);
    const label = `${method} ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, url, options.body, label);
      } catch (error) {
        if (!(error instanceof RetriableFailure)) throw error;
        if (attempt >= this.options.maxRetries) {
          throw new NetworkError(`${label} failed after ${attempt + 1} attempts: ${error.message}`, {
            hint: 'the service or the network kept failing; run the same command again later to resume',
          });
        }
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt) * this.random();
        const wait = error.waitMs ?? backoff;
        this.waitAllowed(wait, label);
        this.stats.retries++;
        this.log.debug(`${label}: ${error.message}; retry ${attempt + 1} in ${Math.round(wait)} ms`);
        await this.sleep(wait);
      }
    }
  }

  private url(path: string, query: Query | undefined): URL {
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private unresolved(url: URL, code: string): Error {
    const setting = this.options.hostSetting ? `check ${this.options.hostSetting}` : 'check the base URL';
    if (code === 'ENOTFOUND') {
      return new ConfigError(`the host ${url.hostname} does not exist (DNS: ${code}); ${setting}`, {
        hint: "if the name is right, this machine's DNS or network cannot reach it",
      });
    }
    return new NetworkError(`the host ${url.hostname} cannot be resolved now (DNS: ${code}); ${setting}`, {
      hint: "the DNS server did not answer: check this machine's network, then run again",
    });
  }

  private waitAllowed(waitMs: number, label: string): void {
    if (waitMs > this.options.maxWaitMs) {
      throw new RateLimitError(
        `${label}: the service asks to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.round(
          this.options.maxWaitMs / 1000,
        )} s allowed`,
        { hint: 'raise the wait cap in the config, or run again later' },
      );
    }
  }

  private async once<T>(method: string, url: URL, body: unknown, label: string): Promise<HttpResponse<T>> {
    await this.options.rateLimit?.beforeRequest();
    this.stats.requests++;
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      // Loaded on the first request, not at start-up of every `ca` command.
      // The package's CommonJS exports as `default`: what Node and the bundle (dist/bundle/) both give.
      const { request } = (await import('undici')).default;
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers: {
          accept: 'application/json',
          'user-agent': 'ca-customer-analytics/0.1',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.options.dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      status = response.statusCode;
      headers = flattenHeaders(response.headers);
      text = await response.body.text();
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A name that does not resolve will not resolve on the next eight tries either.
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw this.unresolved(url, code);
      throw new RetriableFailure(describeNetworkError(error));
    }
    this.options.rateLimit?.observe(status, headers);

    let parsed: unknown;
    let parseFailed = false;
    if (text.trim() === '') parsed = {};
    else {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }

    const override = this.options.classify?.(status, parsed);
    const action = override ?? defaultAction(status);
    if (action === 'ok') {
      if (parseFailed) throw new RetriableFailure(`status ${status} with a body that is not complete JSON`);
      return { status, body: parsed as T, headers };
    }
    if (status === 429) this.stats.rateLimited++;
    const { code, detail, field } = vendorError(parsed);
    if (action === 'auth') {
      throw new AuthError(`${label}: the service refused the credentials (HTTP ${status})`, {
        hint: 'check the token and its scopes; nothing was changed',
        status,
        code,
      });
    }
    if (action === 'retry') {
      const wait =
        status === 429 || status === 503
          ? (this.options.retryAfterMs ?? ((_status, h, n) => parseRetryAfter(h['retry-after'], n)))(status, headers, this.now())
          : undefined;
      throw new RetriableFailure(`HTTP ${status}`, wait);
    }
    throw new RemoteError(`${label}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`, status, code, detail, { field });
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}` : (e.message ?? 'network error');
}

/** Square's `{errors:[{code, detail, field}]}`, Lightspeed's `{error, error_description}` / `{message}`. */
function vendorError(body: unknown): { code?: string; detail?: string; field?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length > 0) {
    const first = b.errors[0] as Record<string, unknown>;
    return { code: str(first.code), detail: str(first.detail), field: str(first.field) };
  }
  return { code: str(b.error), detail: str(b.error_description) ?? str(b.message) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, 300) : undefined;
}
