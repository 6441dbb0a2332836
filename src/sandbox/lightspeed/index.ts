/**
 * A local stand-in for Lightspeed Retail X-Series API 2.0 with generated data:
 * `const sandbox = await startLightspeedSandbox({ seed: 7 })`, then point the client at `sandbox.url`.
 */
import { FaultQueue, startJsonServer } from '../common.js';
import { LightspeedWorld } from './generator.js';
import { resolveSandboxOptions, type LightspeedSandboxOptions } from './options.js';
import { createLightspeedHandler, type LightspeedSandboxControl } from './server.js';

export type { LightspeedSandboxOptions } from './options.js';
export type { LightspeedSandboxControl, SandboxStats } from './server.js';
export type { ResourceName } from './generator.js';
export type { WireRecord } from './collection.js';

export interface LightspeedSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
  control: LightspeedSandboxControl;
  /** The token it accepts. */
  token: string;
}

export async function startLightspeedSandbox(options: LightspeedSandboxOptions = {}): Promise<LightspeedSandbox> {
  const resolved = resolveSandboxOptions(options);
  const world = new LightspeedWorld(resolved);
  const faults = new FaultQueue();
  const { handler, control } = createLightspeedHandler(world, resolved, faults);
  const server = await startJsonServer(handler, faults, options.port ?? 0);
  return { url: server.url, port: server.port, close: server.close, control, token: resolved.token };
}
