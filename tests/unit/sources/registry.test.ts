/**
 * The source registry is the one list of sources: its names are the canonical model's, in its order;
 * each names its master list column, and what it declares (credential variables, settings, streams)
 * is what the config, the environment and the docs use.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { MASTER_COLUMN_NAMES, SOURCE_LIST_COLUMN } from '../../../src/core/masterColumns.js';
import { SOURCES } from '../../../src/core/model.js';
import { redact } from '../../../src/io/redact.js';
import { API_SOURCES, apiSource, credentialsFromEnv, REGISTRY } from '../../../src/sources/registry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

describe('source registry', () => {
  it('lists every source of the canonical model, in its order, each under its own name', () => {
    expect(Object.keys(REGISTRY)).toEqual([...SOURCES]);
    for (const [key, definition] of Object.entries(REGISTRY)) expect(definition.name).toBe(key);
    expect(API_SOURCES).toEqual(['lightspeed', 'square']);
    expect(REGISTRY.ecom.kind).toBe('import');
  });

  it("names each source's master list column, which the master has", () => {
    for (const source of SOURCES) {
      expect(REGISTRY[source].listColumn).toBe(SOURCE_LIST_COLUMN[source]);
      expect(MASTER_COLUMN_NAMES).toContain(REGISTRY[source].listColumn);
    }
  });

  it('documents every credential variable in README "Credentials", each under one of its prefixes', () => {
    const readme = read('README.md');
    const credentials = readme.slice(readme.indexOf('## Credentials'), readme.indexOf('\n## ', readme.indexOf('## Credentials') + 1));
    for (const source of API_SOURCES) {
      const { token, variables, prefixes } = apiSource(source).credentials;
      expect(variables).toContain(token);
      for (const variable of variables) {
        expect(credentials, variable).toContain(`\`${variable}\``);
        expect(prefixes.some((p) => variable.startsWith(p)), variable).toBe(true);
      }
    }
  });

  it('documents every setting of each API source in docs/sources/<name>.md, and its section in docs/config.md', () => {
    const config = read('docs/config.md');
    for (const source of API_SOURCES) {
      const doc = read(`docs/sources/${source}.md`);
      for (const key of Object.keys(apiSource(source).settings.shape)) expect(doc, `${source}.${key}`).toContain(`\`${key}\``);
      expect(config).toContain(`\`${source}.*\``);
    }
  });

  it('gives the config a section per API source and a freshness limit per source, and nothing else', () => {
    const sections = Object.fromEntries(API_SOURCES.map((s) => [s, { anything: 1 }]));
    const limits = Object.fromEntries(SOURCES.map((s, i) => [s, i + 1]));
    const config = parseConfig({ ...sections, status: { sourceMaxAgeHours: limits } }, 'test');
    for (const source of API_SOURCES) expect(config[source]).toEqual({ anything: 1 });
    expect(config.status.sourceMaxAgeHours).toEqual(limits);
    expect(() => parseConfig({ shopify: {} }, 'test')).toThrow(/unknown key shopify/);
    expect(() => parseConfig({ status: { sourceMaxAgeHours: { shopify: 1 } } }, 'test')).toThrow(/unknown key status.sourceMaxAgeHours.shopify/);
  });

  it('reads each API source from its own variables, and registers its token for redaction', () => {
    const environment = {
      LIGHTSPEED_TOKEN: 'ls-token-registry-test',
      LIGHTSPEED_DOMAIN_PREFIX: 'mystore',
      SQUARE_ACCESS_TOKEN: 'sq-token-registry-test',
      SQUARE_ENVIRONMENT: 'sandbox',
    };
    expect(credentialsFromEnv(environment)).toEqual({
      lightspeed: { baseUrl: 'https://mystore.retail.lightspeed.app', token: 'ls-token-registry-test' },
      square: { baseUrl: 'https://connect.squareupsandbox.com', token: 'sq-token-registry-test' },
    });
    expect(redact('a ls-token-registry-test and a sq-token-registry-test')).not.toMatch(/registry-test/);
    expect(credentialsFromEnv({})).toEqual({});
    expect(() => credentialsFromEnv({ LIGHTSPEED_TOKEN: 't' })).toThrow('LIGHTSPEED_TOKEN is set but neither LIGHTSPEED_DOMAIN_PREFIX nor LIGHTSPEED_BASE_URL is');
    expect(() => credentialsFromEnv({ SQUARE_ACCESS_TOKEN: 't', SQUARE_ENVIRONMENT: 'staging' })).toThrow('SQUARE_ENVIRONMENT must be production or sandbox, not staging');
  });

  it('declares each stream once, with a wire schema, and says which API version it reads', async () => {
    for (const source of API_SOURCES) {
      const definition = apiSource(source);
      const names = definition.streams.map((s) => s.name);
      expect(new Set(names).size).toBe(names.length);
      for (const stream of definition.streams) {
        expect(typeof stream.wire.safeParse).toBe('function');
        expect(stream.key).toBe('id');
      }
      expect(definition.apiVersion.of({})).toMatch(/^\d/);
      expect(definition.settings.safeParse({}).success).toBe(true);
      expect(typeof (await definition.loadFetch())).toBe('function');
    }
    expect(apiSource('square').apiVersion.of({ squareVersion: '2025-10-16' })).toBe('2025-10-16');
  });
});
