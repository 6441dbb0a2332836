/** Fixed material the Square generator draws from: a salon's locations, services and people's names. */

export const US_LOCATIONS = [
  { name: 'Downtown', timezone: 'America/Los_Angeles', utcOffsetHours: -8 },
  { name: 'Riverside', timezone: 'America/New_York', utcOffsetHours: -5 },
  { name: 'Old Town', timezone: 'America/Chicago', utcOffsetHours: -6 },
  { name: 'Harbor', timezone: 'America/Denver', utcOffsetHours: -7 },
  { name: 'Lakeside', timezone: 'America/Phoenix', utcOffsetHours: -7 },
] as const;

export const JP_LOCATIONS = [
  { name: 'Shibuya', timezone: 'Asia/Tokyo', utcOffsetHours: 9 },
  { name: 'Shinjuku', timezone: 'Asia/Tokyo', utcOffsetHours: 9 },
  { name: 'Ginza', timezone: 'Asia/Tokyo', utcOffsetHours: 9 },
  { name: 'Umeda', timezone: 'Asia/Tokyo', utcOffsetHours: 9 },
  { name: 'Sakae', timezone: 'Asia/Tokyo', utcOffsetHours: 9 },
] as const;

/** Prices in major units; the generator scales them to the currency's minor units. */
export const SERVICES = [
  { item: 'Haircut', variation: 'Short hair', minutes: 45, price: 45 },
  { item: 'Haircut', variation: 'Long hair', minutes: 60, price: 65 },
  { item: 'Color', variation: 'Root touch-up', minutes: 60, price: 85 },
  { item: 'Color', variation: 'Full color', minutes: 120, price: 140 },
  { item: 'Balayage', variation: 'Regular', minutes: 180, price: 220 },
  { item: 'Blowout', variation: 'Regular', minutes: 45, price: 40 },
  { item: 'Manicure', variation: 'Gel', minutes: 50, price: 55 },
  { item: 'Beard trim', variation: 'Regular', minutes: 20, price: 25 },
  /** Retired early in history and deleted from the catalog: old bookings still point at it. */
  { item: 'Perm', variation: 'Regular', minutes: 150, price: 160 },
] as const;

export const GIVEN_NAMES = [
  'Maya', 'Liam', 'Olivia', 'Noah', 'Emma', 'Ava', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Aria', 'Mateo',
  'Chloe', 'Leo', 'Zoe', 'Hana', 'Yuki', 'Kenji', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Ines', 'Diego',
  'Grace', 'Samuel', 'Nora', 'Elijah', 'Lena', 'Julian', 'Camila', 'Theo',
];

export const FAMILY_NAMES = [
  'Okafor', 'Smith', 'Garcia', 'Nguyen', 'Kim', 'Patel', 'Johnson', 'Brown', 'Martinez', 'Lee', 'Walker',
  'Tanaka', 'Sato', 'Suzuki', 'Rossi', 'Muller', 'Dubois', 'Silva', 'Cohen', 'Haddad', 'Novak', 'Olsen',
  'Reyes', 'Clarke', 'Murphy', 'Schmidt', 'Lopez', 'Khan', 'Ali', 'Baker', 'Hughes', 'Ward',
];

export const COMPANIES = ['Acme Studio', 'Northwind Events', 'Blue Fern Spa', 'Lumen Photo', 'Harbor Weddings'];

export const REFUND_REASONS = ['Customer not satisfied', 'Service not completed', 'Overcharged', 'Duplicate charge'];

/** Minor units per major unit. */
export const CURRENCY_SCALE: Record<string, number> = { USD: 100, EUR: 100, GBP: 100, CAD: 100, AUD: 100, JPY: 1 };

/** Yen are worth about a hundredth of these currencies; prices in JPY are scaled and rounded to ¥100. */
export function priceMinor(priceMajor: number, currency: string): number {
  if (currency === 'JPY') return Math.round((priceMajor * 150) / 100) * 100;
  return priceMajor * (CURRENCY_SCALE[currency] ?? 100);
}
