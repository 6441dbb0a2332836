/**
 * A local stand-in for Square's Customers, Bookings, Payments, Refunds, Orders, Locations, Team and
 * Catalog APIs, with generated salon data and the quirks real clients meet. Control routes under
 * `/__sandbox` need no token:
 *   POST   /__sandbox/faults            a Fault (see ../common.ts)   DELETE /__sandbox/faults  clear them
 *   POST   /__sandbox/advance           {"days": N}  move the clock; new and changed records appear
 *   POST   /__sandbox/expire-cursors    {"next": N, "code"?}  forget issued cursors and refuse the next N
 *                                       (with INVALID_CURSOR, or `code` and `field: "cursor"`)
 *   POST   /__sandbox/touch-customer    {"customer_id"?, "ago_ms"?}  a profile change inside the search lag
 *   GET    /__sandbox/stats
 */
import { FaultQueue, parseJsonBody, startJsonServer, type Fault, type JsonReply } from '../common.js';
import { CursorBook } from './cursors.js';
import type { SquareSandboxOptions } from './options.js';
import { squareApi, type SquareCounters } from './routes.js';
import { asOf } from './timeline.js';
import { SquareWorld } from './world.js';

export { DEFAULT_SANDBOX_TOKEN, type SquareSandboxOptions } from './options.js';
export { SquareWorld } from './world.js';

export interface SquareSandboxStats {
  now: string;
  requests: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  unauthorized: number;
  invalidCursors: number;
  /** Records that exist at the clock (customers: not deleted). */
  records: { customers: number; bookings: number; payments: number; refunds: number; locations: number; staff: number };
}

export interface SquareSandboxControl {
  addFault(fault: Fault): void;
  clearFaults(): void;
  advance(days: number): number;
  now(): number;
  stats(): SquareSandboxStats;
  expireCursors(next?: number, code?: string): void;
  touchCustomer(customerId?: string, agoMs?: number): { id: string; email: string; updatedAt: number };
  /** The generated data itself, for tests that check what a client brought back. */
  world: SquareWorld;
}

export interface SquareSandbox {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
  control: SquareSandboxControl;
}

export async function startSquareSandbox(options: SquareSandboxOptions = {}): Promise<SquareSandbox> {
  const world = new SquareWorld(options);
  const faults = new FaultQueue();
  const cursors = new CursorBook(world.options.cursorTtlMs);
  const counters: SquareCounters = { requests: 0, byRoute: {}, rateLimited: 0, unauthorized: 0 };
  const api = squareApi(world, cursors, counters);

  const control: SquareSandboxControl = {
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    advance: (days) => world.advance(days),
    now: () => world.now(),
    expireCursors: (next, code) => cursors.expire(next, code),
    touchCustomer: (customerId, agoMs) => world.touchCustomer(customerId, agoMs),
    world,
    stats: () => {
      const now = world.now();
      const existing = (list: { createdAt: number }[]) => list.filter((t) => t.createdAt <= now).length;
      return {
        now: new Date(now).toISOString(),
        requests: counters.requests,
        byRoute: { ...counters.byRoute },
        rateLimited: counters.rateLimited,
        unauthorized: counters.unauthorized,
        invalidCursors: cursors.invalidCursors,
        records: {
          customers: world.customers.filter((c) => {
            const state = asOf(c, now);
            return state !== undefined && !state.deleted;
          }).length,
          bookings: existing(world.bookings),
          payments: existing(world.payments),
          refunds: existing(world.refunds),
          locations: world.locations.length,
          staff: world.staff.length,
        },
      };
    },
  };

  const controlRoute = (method: string | undefined, path: string, raw: string): JsonReply | undefined => {
    const body = (parseJsonBody(raw) ?? {}) as Record<string, unknown>;
    try {
      if (method === 'GET' && path === '/__sandbox/stats') return { status: 200, body: control.stats() };
      if (method === 'POST' && path === '/__sandbox/faults') {
        control.addFault(body as unknown as Fault);
        return { status: 200, body: { ok: true } };
      }
      if (method === 'DELETE' && path === '/__sandbox/faults') {
        control.clearFaults();
        return { status: 200, body: { ok: true } };
      }
      if (method === 'POST' && path === '/__sandbox/advance') {
        const now = control.advance(Number(body.days ?? 1));
        return { status: 200, body: { now: new Date(now).toISOString() } };
      }
      if (method === 'POST' && path === '/__sandbox/expire-cursors') {
        control.expireCursors(Number(body.next ?? 0), typeof body.code === 'string' ? body.code : undefined);
        return { status: 200, body: { ok: true } };
      }
      if (method === 'POST' && path === '/__sandbox/touch-customer') {
        const agoMs = body.ago_ms === undefined ? undefined : Number(body.ago_ms);
        return { status: 200, body: control.touchCustomer(body.customer_id as string | undefined, agoMs) };
      }
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
    return path.startsWith('/__sandbox') ? { status: 404, body: { error: `no control route ${method} ${path}` } } : undefined;
  };

  const server = await startJsonServer(
    (req, url, raw) => controlRoute(req.method, url.pathname, raw) ?? api(req, url, raw),
    faults,
    world.options.port,
    world.options.host,
  );
  return { url: server.url, port: server.port, token: world.options.token, close: server.close, control };
}
