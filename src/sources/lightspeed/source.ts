/** Lightspeed Retail (X-Series) as a source: its registry entry (src/sources/registry.ts). */
import { ConfigError } from '../../io/errors.js';
import { registerSecret } from '../../io/redact.js';
import { firstSet, type ApiSourceDefinition, type FetchFunction, type StreamDeclaration } from '../sourceDefinition.js';
import { LIGHTSPEED_API_VERSION, settingsSchema } from './settings.js';
import { STREAMS, type StreamName } from './state.js';
import { wireCustomer, wireOutlet, wireRegister, wireSale, wireUser } from './wire.js';

/** The five streams, each read after its global `version` cursor, in the order of `STREAMS`. */
export const LIGHTSPEED_STREAMS = {
  outlets: { name: 'outlets', target: 'dimension:locations', key: 'id', cursor: 'version', wire: wireOutlet },
  registers: { name: 'registers', target: 'state', key: 'id', cursor: 'version', wire: wireRegister },
  users: { name: 'users', target: 'dimension:staff', key: 'id', cursor: 'version', wire: wireUser },
  customers: { name: 'customers', target: 'customers', key: 'id', cursor: 'version', wire: wireCustomer },
  sales: { name: 'sales', target: 'orders', key: 'id', cursor: 'version', wire: wireSale },
} as const satisfies { [S in StreamName]: StreamDeclaration & { name: S } };

export const lightspeed: ApiSourceDefinition<'lightspeed'> = {
  kind: 'api',
  name: 'lightspeed',
  label: 'Lightspeed Retail (X-Series)',
  listColumn: 'lightspeed_customer_ids',
  credentials: {
    token: 'LIGHTSPEED_TOKEN',
    variables: [
      'LIGHTSPEED_TOKEN',
      'EXPO_PUBLIC_LIGHTSPEED_TOKEN',
      'LIGHTSPEED_DOMAIN_PREFIX',
      'EXPO_PUBLIC_LIGHTSPEED_DOMAIN_PREFIX',
      'LIGHTSPEED_BASE_URL',
    ],
    prefixes: ['LIGHTSPEED_', 'EXPO_PUBLIC_LIGHTSPEED_'],
    setup: 'LIGHTSPEED_TOKEN and LIGHTSPEED_DOMAIN_PREFIX',
    read: readCredentials,
  },
  settings: settingsSchema,
  apiVersion: { label: 'Lightspeed X-Series', of: () => LIGHTSPEED_API_VERSION },
  streams: STREAMS.map((name) => LIGHTSPEED_STREAMS[name]),
  loadFetch: async () => (await import('./fetchLightspeed.js')).fetchLightspeed as FetchFunction,
};

/** A token, and the store prefix (`mystore`) or a whole base URL. */
function readCredentials(environment: NodeJS.ProcessEnv) {
  const token = firstSet(environment, 'LIGHTSPEED_TOKEN', 'EXPO_PUBLIC_LIGHTSPEED_TOKEN');
  registerSecret(token);
  if (!token) return undefined;
  const prefix = firstSet(environment, 'LIGHTSPEED_DOMAIN_PREFIX', 'EXPO_PUBLIC_LIGHTSPEED_DOMAIN_PREFIX');
  const given = firstSet(environment, 'LIGHTSPEED_BASE_URL');
  if (!given && prefix && !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(prefix)) {
    const variable = environment.LIGHTSPEED_DOMAIN_PREFIX ? 'LIGHTSPEED_DOMAIN_PREFIX' : 'EXPO_PUBLIC_LIGHTSPEED_DOMAIN_PREFIX';
    const host = /^(?:https?:\/\/)?([a-z0-9-]+)\.retail\.lightspeed\.app\/?$/i.exec(prefix);
    throw new ConfigError(`${variable} is "${prefix}": it takes the store prefix alone, not a URL or host name`, {
      hint: host ? `set ${variable}=${host[1]}` : 'set it to mystore for https://mystore.retail.lightspeed.app, or put a whole URL in LIGHTSPEED_BASE_URL',
    });
  }
  const baseUrl = given ?? (prefix ? `https://${prefix}.retail.lightspeed.app` : undefined);
  if (!baseUrl) {
    throw new ConfigError('LIGHTSPEED_TOKEN is set but neither LIGHTSPEED_DOMAIN_PREFIX nor LIGHTSPEED_BASE_URL is', {
      hint: 'set LIGHTSPEED_DOMAIN_PREFIX to your store prefix (mystore in mystore.retail.lightspeed.app)',
    });
  }
  return { baseUrl, token };
}
