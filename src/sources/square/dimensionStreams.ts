/** Locations (with time zones) and team members: small, read whole on every run. */
import type { DimensionEntry } from '../../core/model.js';
import { MissingScopeError, type SquareApi } from './squareApi.js';
import type { SquareRun } from './squareRun.js';
import { squareLocation, squareTeamMember, type SquareLocation } from './wire.js';

/** Every location, INACTIVE ones included: their history still counts. */
export async function fetchLocations(api: SquareApi): Promise<SquareLocation[]> {
  const pages = api.pages('locations', 'locations', squareLocation, () => ({ method: 'GET', path: '/v2/locations', query: {} }));
  const locations: SquareLocation[] = [];
  for await (const page of pages) locations.push(...page);
  return locations;
}

export async function storeLocations(run: SquareRun, locations: SquareLocation[]): Promise<void> {
  const entries: DimensionEntry[] = locations.map((l) => ({
    id: l.id,
    name: l.name?.trim() || l.id,
    ...(l.timezone ? { timeZone: l.timezone } : {}),
    ...(l.country ? { country: l.country } : {}),
  }));
  await run.putDimensions('locations', entries);
}

/**
 * All team members, without a status filter: people who left still name past appointments. Team
 * members only name staff: without the scope for them the fetch goes on and staff keep their ids.
 */
export async function fetchTeam(run: SquareRun): Promise<void> {
  try {
    await readTeam(run);
  } catch (error) {
    if (!(error instanceof MissingScopeError)) throw error;
    run.log.warn(`square team: the token lacks ${error.scope}; staff keep their ids as names`);
  }
}

async function readTeam(run: SquareRun): Promise<void> {
  const pages = run.api.pages('team', 'team_members', squareTeamMember, () => ({
    method: 'POST',
    path: '/v2/team-members/search',
    body: { limit: 200 },
  }));
  const entries: DimensionEntry[] = [];
  for await (const page of pages) {
    for (const m of page) {
      const name = [m.given_name, m.family_name].filter((part) => part && part.trim()).join(' ').trim();
      entries.push({ id: m.id, name: name || m.id });
    }
  }
  await run.putDimensions('staff', entries);
}
