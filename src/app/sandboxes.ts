/** Both vendor sandboxes side by side, as `ca sandbox` and `ca demo` run them. */
import { startLightspeedSandbox, type LightspeedSandbox } from '../sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../sandbox/square/index.js';
import type { Person } from '../sandbox/ecomExport.js';

export interface SandboxesOptions {
  port?: number;
  seed?: number;
  customers?: number;
  historyDays?: number;
  now?: number;
  /** Lightspeed answers sales in this shape (`2026.01`: a version other than the one `ca` reads). */
  lightspeedSalesShape?: '2.0' | '2026.01';
  /** Square's token is an OAuth token with just these scopes (default: a personal token, every scope). */
  squareScopes?: string[];
}

export interface RunningSandboxes {
  /** The environment that points `ca` at them. */
  env: Record<string, string>;
  /** People both sandboxes know right now (for the demo's e-commerce export). */
  people(): Person[];
  /** The sandboxes' own controls (clock, faults, request counts, generated data), for benchmarks. */
  lightspeed: LightspeedSandbox['control'];
  square: SquareSandbox['control'];
  close(): Promise<void>;
}

export async function startSandboxes(options: SandboxesOptions = {}): Promise<RunningSandboxes> {
  const seed = options.seed ?? 42;
  const lightspeed = await startLightspeedSandbox({
    port: options.port,
    seed,
    customers: options.customers ?? 2000,
    historyDays: options.historyDays ?? 365,
    now: options.now,
    currency: 'USD',
    salesShape: options.lightspeedSalesShape,
  });
  const square = await startSquareSandbox({
    port: options.port ? options.port + 1 : 0,
    seed: seed + 1,
    customers: Math.round((options.customers ?? 2000) / 3),
    historyDays: Math.min(options.historyDays ?? 365, 365),
    now: options.now,
    currency: 'USD',
    scopes: options.squareScopes,
  }).catch(async (error: unknown) => {
    await lightspeed.close();
    throw error;
  });
  return {
    env: {
      LIGHTSPEED_BASE_URL: lightspeed.url,
      LIGHTSPEED_TOKEN: lightspeed.token,
      SQUARE_BASE_URL: square.url,
      SQUARE_ACCESS_TOKEN: square.token,
    },
    people: () => {
      const fromLightspeed = lightspeed.control.records('customers').map((c) => ({
        firstName: (c.first_name as string | null) ?? undefined,
        lastName: (c.last_name as string | null) ?? undefined,
        email: (c.email as string | null) ?? undefined,
        phone: (c.phone as string | null) ?? (c.mobile as string | null) ?? undefined,
      }));
      const world = square.control.world;
      const now = square.control.now();
      const fromSquare = world.customers.flatMap((t) => {
        const c = world.resolveCustomer(t.id, now);
        return c ? [{ firstName: c.givenName, lastName: c.familyName, email: c.email, phone: c.phone }] : [];
      });
      return [...fromLightspeed, ...fromSquare];
    },
    lightspeed: lightspeed.control,
    square: square.control,
    close: async () => {
      await Promise.all([lightspeed.close(), square.close()]);
    },
  };
}
