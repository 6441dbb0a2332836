/**
 * What a source is, declared once in its own folder (`<source>/source.ts`) and listed in
 * `registry.ts`: its name and label, the master column of its ids, and, for an API source, the
 * environment variables of its credentials and how they are read, its settings schema (the config
 * section of its name), the API version `ca status` prints, its streams and its fetch. Everything that
 * names the sources (`ca fetch`'s choices, `ca update`, the config keys, `ca status`, the environment
 * `ca update --workspaces` strips) reads the registry.
 *
 * A definition is loaded when `ca` starts (the config and the credentials need it): it imports only
 * zod and the source's settings and wire schemas; the fetch itself (HTTP client, undici) is imported
 * when a fetch runs.
 */
import type { z } from 'zod';
import type { SOURCE_LIST_COLUMN } from '../core/masterColumns.js';
import type { DimensionKind, SourceName, TableName } from '../core/model.js';
import type { FetchOptions, FetchSummary } from './fetchTypes.js';

/** Where an API source is reached and with what. */
export interface ApiCredentials {
  baseUrl: string;
  /** Goes into the Authorization header only; registered for redaction when read. */
  token: string;
}

/** Where a stream's records go: a canonical table, a dimension, or only the sync state. */
export type StreamTarget = TableName | `dimension:${DimensionKind}` | 'state';

/**
 * How a stream finds where it stopped: a global `version` cursor, `updated_at` (sorted pages, or
 * windows bookmarked whole), windows of `start_at`, or nothing (read whole every run).
 */
export type CursorKind = 'version' | 'updated_at' | 'updated_at windows' | 'start_at windows' | 'none';

/** One stream of a source, as data: its name (state, progress, rejects), target, key, cursor and wire schema. */
export interface StreamDeclaration<Wire = unknown> {
  name: string;
  target: StreamTarget;
  /** The wire field that is the record's id (its key in the store, with the source). */
  key: string;
  cursor: CursorKind;
  /** The vendor's shape of one record (OpenAPI, in zod): what fails it is a reject. */
  wire: z.ZodType<Wire>;
}

export type FetchFunction = (options: FetchOptions<unknown>) => Promise<FetchSummary>;

interface SourceBase<N extends SourceName> {
  name: N;
  /** For people: `Lightspeed Retail (X-Series)`. */
  label: string;
  /** The master column that lists the source's customer records merged into a row (core/masterColumns.ts). */
  listColumn: (typeof SOURCE_LIST_COLUMN)[N];
}

/** A source `ca` fetches from a vendor API, incrementally, through its streams. */
export interface ApiSourceDefinition<N extends SourceName = SourceName> extends SourceBase<N> {
  kind: 'api';
  credentials: {
    /** The variable whose presence configures the source (`... is not set` names it). */
    token: string;
    /** Every variable `read` looks at (README "Credentials" lists them). */
    variables: readonly string[];
    /** Variable name prefixes that belong to this vendor: `ca update --workspaces` keeps them from the children. */
    prefixes: readonly string[];
    /** What to set, in the "nothing to update" hint: `LIGHTSPEED_TOKEN and LIGHTSPEED_DOMAIN_PREFIX`. */
    setup: string;
    /**
     * The credentials in `environment`, or undefined when the token is not set; registers the token
     * for redaction before anything can print it, and throws a ConfigError for an unusable setting.
     */
    read(environment: NodeJS.ProcessEnv): ApiCredentials | undefined;
  };
  /** The config section named after the source; checked (strictly) when the source is fetched. */
  settings: z.ZodObject;
  /** The vendor API version the fetch reads, for `ca status`: `{label} {of(settings)}`. */
  apiVersion: { label: string; of(settings: unknown): string };
  streams: readonly StreamDeclaration[];
  /** The fetch, imported when it runs (keeps `ca --help` from loading the HTTP client). */
  loadFetch(): Promise<FetchFunction>;
}

/** A source whose data a file import brings in (`ca import ecom`), not a fetch. */
export interface ImportSourceDefinition<N extends SourceName = SourceName> extends SourceBase<N> {
  kind: 'import';
}

export type SourceDefinition<N extends SourceName = SourceName> = ApiSourceDefinition<N> | ImportSourceDefinition<N>;

/** The first of `names` set (trimmed, not empty) in `environment`. */
export function firstSet(environment: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = environment[name]?.trim();
    if (value) return value;
  }
  return undefined;
}
