/**
 * The HTTP face of the sandbox: X-Series API 2.0 routes for retailer, outlets, registers, users,
 * customers and sales (version-cursor paging, tombstones, Bearer auth, the register-scaled rate limit)
 * and the `/__sandbox/*` control routes.
 */
import type http from 'node:http';
import { parseJsonBody, type Fault, type FaultQueue, type Handler, type JsonReply } from '../common.js';
import type { WireRecord } from './collection.js';
import { RESOURCES, type LightspeedWorld, type ResourceName } from './generator.js';
import type { ResolvedSandboxOptions } from './options.js';
import { httpDate, SandboxRateLimiter } from './rateLimiter.js';

export interface SandboxStats {
  /** API requests that reached the sandbox (control routes and injected faults not counted). */
  requests: number;
  /** 429 answers sent by the rate limiter. */
  rateLimited: number;
  unauthorized: number;
  /** API requests per resource path (`customers`, `sales`, …). */
  byResource: Record<string, number>;
}

export interface LightspeedSandboxControl {
  addFault(fault: Fault): void;
  clearFaults(): void;
  advance(days: number): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** The generated truth, as stored (nulls kept, deleted records included). Read-only. */
  records(resource: ResourceName): WireRecord[];
  retailer(): Record<string, unknown>;
  walkInCustomerId(): string | undefined;
  upsert(resource: ResourceName, fields: Partial<WireRecord>): WireRecord;
  remove(resource: ResourceName, id: string): WireRecord | undefined;
  now(): number;
  maxVersion(): number;
}

const API = '/api/2.0/';

export function createLightspeedHandler(
  world: LightspeedWorld,
  options: ResolvedSandboxOptions,
  faults: FaultQueue,
): { handler: Handler; control: LightspeedSandboxControl } {
  const limiter = new SandboxRateLimiter(options.rateLimit.windowMs, options.rateLimit.mode, options.clock);
  let stats: SandboxStats = { requests: 0, rateLimited: 0, unauthorized: 0, byResource: {} };

  const control: LightspeedSandboxControl = {
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    advance: (days) => world.advance(days),
    stats: () => ({ ...stats, byResource: { ...stats.byResource } }),
    resetStats: () => {
      stats = { requests: 0, rateLimited: 0, unauthorized: 0, byResource: {} };
    },
    records: (resource) => world.collections[resource].all(),
    retailer: () => world.retailer,
    walkInCustomerId: () => world.walkInCustomerId,
    upsert: (resource, fields) => world.upsert(resource, fields),
    remove: (resource, id) => world.remove(resource, id),
    now: () => world.now,
    maxVersion: () => world.maxVersion(),
  };

  const handler: Handler = (req, url, body) => {
    if (url.pathname.startsWith('/__sandbox/')) return controlRoute(req, url, body, control);
    if (req.method !== 'GET') return error(405, 'Method Not Allowed', `${req.method} is not supported here`);
    if (!url.pathname.startsWith(API)) return error(404, 'Not Found', `no such endpoint ${url.pathname}`);
    const parts = url.pathname.slice(API.length).split('/').filter(Boolean);
    stats.requests++;
    stats.byResource[parts[0] ?? ''] = (stats.byResource[parts[0] ?? ''] ?? 0) + 1;

    if (req.headers.authorization !== `Bearer ${options.token}`) {
      stats.unauthorized++;
      return error(401, 'Unauthorized', 'The access token is missing, invalid or expired');
    }
    const scope = `${parts[0] ?? ''}:read`;
    if (options.scopes && !options.scopes.includes(scope)) return error(403, 'Forbidden', `The token does not have the ${scope} scope`);

    let rateHeaders: Record<string, string> = {};
    if (options.rateLimit.enabled) {
      const limit = options.rateLimit.perRegister * world.activeRegisterCount() + options.rateLimit.base;
      const decision = limiter.take(limit);
      if (!decision.allowed) {
        stats.rateLimited++;
        return {
          status: 429,
          body: { error: 'Too Many Requests', message: 'Rate limiting enforced' },
          headers: { 'retry-after': httpDate(decision.retryAt), 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': '0' },
        };
      }
      rateHeaders = { 'x-ratelimit-limit': String(decision.limit), 'x-ratelimit-remaining': String(decision.remaining) };
    }
    const reply = apiRoute(world, options, parts, url.searchParams);
    return { ...reply, headers: { ...rateHeaders, ...(reply.headers ?? {}) } };
  };

  return { handler, control };
}

function apiRoute(world: LightspeedWorld, options: ResolvedSandboxOptions, parts: string[], query: URLSearchParams): JsonReply {
  const [resource, id, ...rest] = parts;
  if (resource === 'retailer' && parts.length === 1) return { status: 200, body: { data: wire(world.retailer, options) } };
  if (!RESOURCES.includes(resource as ResourceName) || rest.length > 0) {
    return error(404, 'Not Found', `no such endpoint /api/2.0/${parts.join('/')}`);
  }
  const collection = world.collections[resource as ResourceName];
  if (id !== undefined) {
    const record = collection.get(id);
    if (!record) return error(404, 'Not Found', `${resource} ${id} not found`);
    return { status: 200, body: { data: wire(record, options, resource as ResourceName) } };
  }

  const after = integerParam(query, 'after') ?? 0;
  const before = integerParam(query, 'before');
  let pageSize = integerParam(query, 'page_size') ?? options.defaultPageSize;
  if (Number.isNaN(after) || (before !== undefined && Number.isNaN(before)) || Number.isNaN(pageSize) || pageSize < 1) {
    return error(400, 'Bad Request', 'after, before and page_size must be positive integers');
  }
  if (pageSize > options.maxPageSize) {
    if (options.overMaxPageSize === 'reject') {
      return error(400, 'Bad Request', `page_size must not be more than ${options.maxPageSize}`);
    }
    pageSize = options.maxPageSize;
  }
  const deletedParam = query.get('deleted');
  const wantsDeleted = deletedParam === 'true' || deletedParam === '1';
  // The 2.0 file lists `deleted` on customers, outlets and registers; not on sales and users.
  const takesDeleted = resource === 'sales' ? options.salesDeleted === 'honoured' : resource !== 'users';
  const includeDeleted = wantsDeleted && takesDeleted;
  const page = collection.page({ after, before, pageSize, includeDeleted });
  const versions = page.map((record) => record.version);
  return {
    status: 200,
    body: {
      data: page.map((record) => wire(record, options, resource as ResourceName)),
      version: page.length === 0 ? { min: null, max: null } : { min: Math.min(...versions), max: Math.max(...versions) },
    },
  };
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * What goes on the wire: null fields left out (or kept, by option); sales in the 2.0 shape unless an
 * option asks for the fields 2.0 does not have, or for the date-based 2026.01 shape.
 */
function wire(record: Record<string, unknown>, options: ResolvedSandboxOptions, resource?: ResourceName): unknown {
  let out: Record<string, unknown> = record;
  if (resource === 'sales') {
    out = { ...record };
    if (!options.saleState) delete out.state;
    if (!options.totalPriceIncl) delete out.total_price_incl;
    if (options.salesShape === '2026.01') {
      out.date = out.sale_date;
      delete out.sale_date;
      delete out.status;
      out.state ??= record.state;
    }
  }
  return options.nullFields === 'omit' ? withoutNulls(out) : out;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== null && field !== undefined) out[key] = withoutNulls(field);
    return out;
  }
  return value;
}

function error(status: number, title: string, message: string): JsonReply {
  return { status, body: { error: title, message } };
}

function controlRoute(req: http.IncomingMessage, url: URL, body: string, control: LightspeedSandboxControl): JsonReply {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /__sandbox/stats') return { status: 200, body: control.stats() };
  if (route === 'POST /__sandbox/faults') {
    const fault = parseJsonBody(body) as Fault | undefined;
    if (!fault || typeof fault !== 'object' || !('kind' in fault)) return error(400, 'Bad Request', 'body must be a Fault');
    control.addFault(fault);
    return { status: 204 };
  }
  if (route === 'DELETE /__sandbox/faults') {
    control.clearFaults();
    return { status: 204 };
  }
  if (route === 'POST /__sandbox/advance') {
    const days = Number((parseJsonBody(body) as { days?: unknown } | undefined)?.days);
    if (!(days > 0)) return error(400, 'Bad Request', 'body must be {"days": N} with N > 0');
    control.advance(days);
    return { status: 200, body: { now: new Date(control.now()).toISOString(), maxVersion: control.maxVersion() } };
  }
  return error(404, 'Not Found', `no such control route ${route}`);
}
