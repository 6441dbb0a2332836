/**
 * What every sandbox server shares: a loopback HTTP server, JSON replies, and switchable faults that
 * tests turn on through a control route (`POST /__sandbox/faults`), so the clients meet the failures
 * real APIs produce.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../io/errors.js';

export type Fault =
  /** Delay every matching response by `ms`. */
  | { kind: 'latency'; ms: number; count?: number; path?: string }
  /** Answer with this status (and optional JSON body / headers) instead of the real response. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; count?: number; path?: string }
  /** Destroy the socket without answering (ECONNRESET at the client). */
  | { kind: 'reset'; count?: number; path?: string }
  /** Send a 200 whose JSON body is cut in half. */
  | { kind: 'truncate'; count?: number; path?: string };

/** Faults in the order they were added; each applies to `count` matching requests (default 1; -1 = forever). */
export class FaultQueue {
  private faults: Array<Fault & { remaining: number }> = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the first fault that matches this path, spending one of its uses. */
  take(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => !f.path || path.startsWith(f.path));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.remaining > 0) fault.remaining -= 1;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return fault;
  }
}

export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: http.IncomingMessage, url: URL, body: string) => Promise<JsonReply> | JsonReply;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves `handler` on 127.0.0.1. `faults` are applied before the handler runs, so a faulted request
 * changes no sandbox state (as a request lost on the way would not).
 */
export async function startJsonServer(
  handler: Handler,
  faults: FaultQueue,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', `http://${host}`);
    try {
      const fault = url.pathname.startsWith('/__sandbox') ? undefined : faults.take(url.pathname);
      if (fault?.kind === 'latency') await sleep(fault.ms);
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        send(res, { status: fault.status, body: fault.body ?? {}, headers: fault.headers });
        return;
      }
      const reply = await handler(req, url, body);
      if (fault?.kind === 'truncate') {
        const text = JSON.stringify(reply.body ?? {});
        res.writeHead(200, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return;
      }
      send(res, reply);
    } catch (error) {
      send(res, { status: 500, body: { error: (error as Error).message } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        const why = error.code === 'EADDRINUSE' ? 'is in use by another program' : 'may not be opened by this user';
        reject(new ConfigError(`port ${port} on ${host} ${why} (${error.code})`, { hint: 'choose another --port, or leave it out for free ports' }));
      } else reject(error);
    });
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, reply: JsonReply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(reply.headers ?? {}),
  });
  res.end(text);
}

/** Parses a JSON request body, or answers undefined when it is empty or not JSON. */
export function parseJsonBody(body: string): unknown {
  if (!body.trim()) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
