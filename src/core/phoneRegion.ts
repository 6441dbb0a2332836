/**
 * The region a customer record's phone numbers are read in when they are written without a country
 * code: where the record was taken, not one fixed country for every source.
 */
import type { ComputeInput } from './computeInput.js';
import { isPhoneRegion } from './contact.js';

/**
 * Per customer record, the first of:
 * 1. the country of its source's locations, when they are all in one country;
 * 2. when they span several: the country of the location of the record's earliest order or booking
 *    (any status) at a location whose country is known;
 * 3. `configured` (ca.config.json `defaultRegion`);
 * 4. the country of every location of every source, when there is exactly one (an e-commerce export
 *    has no locations with countries; the shop's own country is the best guess for its customers);
 * 5. none: such a number is kept as written and not used to match.
 */
export function phoneRegions(input: ComputeInput, configured: string | undefined): (string | undefined)[] {
  const { customers, orders, bookings, locations } = input;
  const countries = input.sourceCountries.map((list) => list.filter(isPhoneRegion));
  const everywhere = new Set(countries.flat());
  const fallback = configured ?? (everywhere.size === 1 ? [...everywhere][0] : undefined);
  const ofSource = countries.map((list) => (list.length === 1 ? list[0] : undefined));

  const regions: (string | undefined)[] = new Array(customers.count);
  for (let i = 0; i < customers.count; i++) regions[i] = ofSource[customers.source[i]];
  if (countries.some((list) => list.length > 1)) {
    const firstAt = new Float64Array(customers.count).fill(Infinity);
    const note = (record: number, location: number, at: number) => {
      if (record < 0 || location < 0 || ofSource[customers.source[record]] !== undefined || !(at < firstAt[record])) return;
      const country = locations[location].country;
      if (!country || !isPhoneRegion(country)) return;
      firstAt[record] = at;
      regions[record] = country;
    };
    for (let o = 0; o < orders.count; o++) note(orders.customer[o], orders.location[o], orders.orderedAt[o]);
    for (let b = 0; b < bookings.count; b++) note(bookings.customer[b], bookings.location[b], bookings.startAt[b]);
  }
  for (let i = 0; i < customers.count; i++) regions[i] ??= fallback;
  return regions;
}
