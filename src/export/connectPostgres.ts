/**
 * Opens the connection for an export and turns what can go wrong into `ca` errors. The URL holds a
 * password: it is registered with the redactor and scrubbed from every message we build, and neither
 * the URL nor driver errors that could quote it are attached to our errors.
 */
import type pg from 'pg';
import { CaError, ConfigError, NetworkError } from '../io/errors.js';
import { redact, registerSecret } from '../io/redact.js';

export interface PostgresTarget {
  /** `user@host:port/database`, safe to print. */
  where: string;
  /** Removes the URL and its password from a message. */
  scrub(text: string): string;
}

export interface PostgresConnection {
  client: pg.Client;
  target: PostgresTarget;
  /** Set once the connection dropped (server gone, network cut, backend terminated). */
  lost(): boolean;
}

const URL_FORM = 'postgres://user:password@host:5432/database';

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`the PostgreSQL URL is not a valid URL (expected ${URL_FORM})`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`the PostgreSQL URL must start with postgres:// or postgresql:// (expected ${URL_FORM})`);
  }
  const secrets = [url, parsed.password, safeDecode(parsed.password)].filter((secret) => secret.length > 0);
  for (const secret of secrets) registerSecret(secret);
  const scrub = (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return redact(out);
  };
  const user = safeDecode(parsed.username) || parsed.searchParams.get('user') || 'default user';
  const host = safeDecode(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  const database = safeDecode(parsed.pathname.replace(/^\//, '')) || parsed.searchParams.get('dbname') || user;
  return { where: scrub(`${user}@${host}:${port}/${database}`), scrub };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ENOENT']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function connectFailure(error: unknown, target: PostgresTarget): ConfigError {
  const code = codeOf(error);
  if (code === '28P01' || code === '28000') {
    return new ConfigError(`PostgreSQL at ${target.where} refused the login (wrong user or password?)`);
  }
  if (code === '3D000') return new ConfigError(`PostgreSQL at ${target.where}: the database does not exist`);
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new ConfigError(`cannot connect to PostgreSQL at ${target.where} (${code})`);
  }
  return new ConfigError(`cannot connect to PostgreSQL at ${target.where}: ${target.scrub(oneLine(messageOf(error)))}`);
}

export async function connectPostgres(url: string, connectTimeoutMs = 15_000): Promise<PostgresConnection> {
  const target = parseTarget(url);
  let lost = false;
  // Loaded on connect, not at start-up of every `ca` command.
  const { default: driver } = await import('pg');
  const client = new driver.Client({
    connectionString: url,
    application_name: 'ca export postgres',
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
  });
  // Without a listener, a connection dropped between two queries would crash the process.
  client.on('error', () => {
    lost = true;
  });
  client.on('end', () => {
    lost = true;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectFailure(error, target);
  }
  return { client, target, lost: () => lost };
}

const CONNECTION_SQLSTATES = /^(08|57P0)/;
const CONNECTION_MESSAGES = /Connection terminated|not queryable|Client was closed/i;

/** What an error during the export means for the user; the transaction has been rolled back. */
export function exportFailure(error: unknown, connection: PostgresConnection, committing: boolean): CaError {
  if (error instanceof CaError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  if (connection.lost() || (code !== undefined && (CONNECTION_SQLSTATES.test(code) || NETWORK_CODES.has(code))) || CONNECTION_MESSAGES.test(message)) {
    return new NetworkError(
      committing
        ? `lost the connection to PostgreSQL at ${connection.target.where} while committing; the export may or may not have been applied (running it again is safe)`
        : `lost the connection to PostgreSQL at ${connection.target.where} during the export; nothing was changed`,
    );
  }
  const detail = connection.target.scrub(oneLine(message));
  if (code === '42501') {
    return new ConfigError(`PostgreSQL at ${connection.target.where} refused: ${detail}; nothing was changed`);
  }
  return new CaError(
    `PostgreSQL export failed: ${detail}${code ? ` (SQLSTATE ${code})` : ''}; nothing was changed`,
    { cause: error },
  );
}
