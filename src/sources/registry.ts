/**
 * The sources, one line each: everything that names them (`ca fetch`'s choices, `ca update`, the
 * credentials, the config sections, `ca status`) reads this. A source is declared in its own folder
 * (`<name>/source.ts`, see sourceDefinition.ts); docs/design.md, "Adding a source", says what else a
 * new one needs (its name in core/model.ts's SOURCES, its list column in core/masterColumns.ts: the
 * compiler points at both).
 */
import { SOURCES, type SourceName } from '../core/model.js';
import { ecom } from './ecom/source.js';
import { lightspeed } from './lightspeed/source.js';
import type { ApiCredentials, ApiSourceDefinition, SourceDefinition } from './sourceDefinition.js';
import { square } from './square/source.js';

export const REGISTRY = {
  lightspeed,
  square,
  ecom,
} as const satisfies { [N in SourceName]: SourceDefinition<N> };

/** The sources fetched from an API. */
export type ApiSource = { [N in SourceName]: (typeof REGISTRY)[N] extends { kind: 'api' } ? N : never }[SourceName];

const isApi = (name: SourceName): name is ApiSource => REGISTRY[name].kind === 'api';

/** The API sources, in the sources' order (core/model.ts's SOURCES). */
export const API_SOURCES: readonly ApiSource[] = SOURCES.filter(isApi);

export function apiSource<N extends ApiSource>(name: N): ApiSourceDefinition<N> {
  return REGISTRY[name] as ApiSourceDefinition<N>;
}

export type Credentials = { [N in ApiSource]?: ApiCredentials };

/**
 * Tokens and endpoints from the environment, per API source in order. A source is configured when
 * its token is set; every token is registered for redaction before anything can print it.
 */
export function credentialsFromEnv(environment: NodeJS.ProcessEnv): Credentials {
  const credentials: Credentials = {};
  for (const name of API_SOURCES) {
    const found = apiSource(name).credentials.read(environment);
    if (found) credentials[name] = found;
  }
  return credentials;
}
