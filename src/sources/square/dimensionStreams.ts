/** Locations (with time zones) and team members: small, read whole on every run. */
import type { DimensionEntry } from '../../core/model.js';
import type { SquareApi } from './squareApi.js';
import type { SquareRun } from './squareRun.js';
import type { SquareLocation, SquareTeamMember } from './squareTypes.js';

/** Every location, INACTIVE ones included: their history still counts. */
export async function fetchLocations(api: SquareApi): Promise<SquareLocation[]> {
  const body = await api.get<{ locations?: SquareLocation[] }>('/v2/locations');
  return body.locations ?? [];
}

export async function storeLocations(run: SquareRun, locations: SquareLocation[]): Promise<void> {
  const entries: DimensionEntry[] = locations.map((l) => ({
    id: l.id,
    name: l.name?.trim() || l.id,
    ...(l.timezone ? { timeZone: l.timezone } : {}),
  }));
  await run.putDimensions('locations', entries);
}

/** All team members, without a status filter: people who left still name past appointments. */
export async function fetchTeam(run: SquareRun): Promise<void> {
  const pages = run.api.pages<SquareTeamMember>('team_members', () => ({
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
