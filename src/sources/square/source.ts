/** Square as a source: its registry entry (src/sources/registry.ts). */
import { ConfigError } from '../../io/errors.js';
import { registerSecret } from '../../io/redact.js';
import { firstSet, type ApiSourceDefinition, type FetchFunction, type StreamDeclaration } from '../sourceDefinition.js';
import { settingsSchema } from './settings.js';
import { squareBooking, squareCatalogObject, squareCustomer, squareLocation, squarePayment, squareRefund, squareTeamMember } from './wire.js';

/**
 * The streams, in the order a fetch reads them. Payments and refunds are pages sorted by `updated_at`
 * (a bookmark after every page; payments one per location); customers are `updated_at` windows and
 * bookings `start_at` windows per location, each bookmarked when the window is stored; locations,
 * the team and the services a booking names are read whole.
 */
export const SQUARE_STREAMS = {
  locations: { name: 'locations', target: 'dimension:locations', key: 'id', cursor: 'none', wire: squareLocation },
  team: { name: 'team', target: 'dimension:staff', key: 'id', cursor: 'none', wire: squareTeamMember },
  customers: { name: 'customers', target: 'customers', key: 'id', cursor: 'updated_at windows', wire: squareCustomer },
  payments: { name: 'payments', target: 'orders', key: 'id', cursor: 'updated_at', wire: squarePayment },
  refunds: { name: 'refunds', target: 'orders', key: 'id', cursor: 'updated_at', wire: squareRefund },
  bookings: { name: 'bookings', target: 'bookings', key: 'id', cursor: 'start_at windows', wire: squareBooking },
  services: { name: 'services', target: 'dimension:services', key: 'id', cursor: 'none', wire: squareCatalogObject },
} as const satisfies Record<string, StreamDeclaration>;

export const square: ApiSourceDefinition<'square'> = {
  kind: 'api',
  name: 'square',
  label: 'Square',
  listColumn: 'square_customer_ids',
  credentials: {
    token: 'SQUARE_ACCESS_TOKEN',
    variables: ['SQUARE_ACCESS_TOKEN', 'SQUARE_ENVIRONMENT', 'SQUARE_BASE_URL'],
    prefixes: ['SQUARE_'],
    setup: 'SQUARE_ACCESS_TOKEN',
    read: readCredentials,
  },
  settings: settingsSchema,
  apiVersion: {
    label: 'Square-Version',
    of: (settings) => settingsSchema.safeParse(settings).data?.squareVersion ?? settingsSchema.parse({}).squareVersion,
  },
  streams: Object.values(SQUARE_STREAMS),
  loadFetch: async () => (await import('./index.js')).fetchSquare as FetchFunction,
};

/** A token, and production, the sandbox or a whole base URL. */
function readCredentials(environment: NodeJS.ProcessEnv) {
  const token = firstSet(environment, 'SQUARE_ACCESS_TOKEN');
  registerSecret(token);
  if (!token) return undefined;
  const environmentName = firstSet(environment, 'SQUARE_ENVIRONMENT') ?? 'production';
  if (environmentName !== 'production' && environmentName !== 'sandbox') {
    throw new ConfigError(`SQUARE_ENVIRONMENT must be production or sandbox, not ${environmentName}`);
  }
  const baseUrl =
    firstSet(environment, 'SQUARE_BASE_URL') ??
    (environmentName === 'sandbox' ? 'https://connect.squareupsandbox.com' : 'https://connect.squareup.com');
  return { baseUrl, token };
}
