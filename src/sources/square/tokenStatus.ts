/**
 * What the token may read, asked first (RetrieveTokenStatus, `POST /oauth2/token/status`): an OAuth
 * access token lists the scopes it was granted, a personal access token lists every scope. ListBookings
 * without APPOINTMENTS_ALL_READ answers with only the bookings this application created, without an
 * error, so that scope is checked here: its absence stops the fetch (exit 3) unless the config accepts
 * app-only bookings. The other scopes speak for themselves (a 403 names them, see `squareApi.ts`).
 */
import { AuthError } from '../../io/errors.js';
import type { Logger } from '../../io/log.js';
import type { SquareSettings } from './settings.js';
import type { SquareApi } from './squareApi.js';
import { squareTokenStatus, type SquareTokenStatus } from './wire.js';

export const ALL_BOOKINGS_SCOPE = 'APPOINTMENTS_ALL_READ';

export async function checkToken(api: SquareApi, settings: SquareSettings, log: Logger): Promise<SquareTokenStatus> {
  const status = api.check.one('token', squareTokenStatus, await api.post('/oauth2/token/status', {}));
  if (status.scopes?.includes(ALL_BOOKINGS_SCOPE)) return status;
  const why = status.scopes ? `the token lacks ${ALL_BOOKINGS_SCOPE}` : 'the token status names no scopes';
  if (!settings.acceptAppOnlyBookings) {
    throw new AuthError(`square: ${why}, so Square would list only the bookings this app created, without saying so`, {
      hint:
        `grant ${ALL_BOOKINGS_SCOPE} and APPOINTMENTS_READ to the token (a personal access token has every scope); ` +
        'to fetch only the bookings this app created, set "acceptAppOnlyBookings": true in the square section of the config',
    });
  }
  log.warn(`square bookings: ${why}: only the bookings this app created are fetched (square.acceptAppOnlyBookings)`);
  return status;
}
