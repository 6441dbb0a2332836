/** Word lists for generated sandbox data. Outlets carry real IANA zones so local-day bucketing is exercised. */

export const FIRST_NAMES = [
  'Mira', 'Tane', 'Aroha', 'Liam', 'Olivia', 'Noah', 'Amelia', 'Jack', 'Isla', 'Oliver',
  'Charlotte', 'Leo', 'Ava', 'Lucas', 'Mia', 'Hemi', 'Ruby', 'Mason', 'Zoe', 'Ethan',
  'Grace', 'Hugo', 'Ella', 'Finn', 'Sofia', 'Kai', 'Chloe', 'Arlo', 'Lily', 'Theo',
  'Priya', 'Wei', 'Yuki', 'Sione', 'Ana', 'Mateo', 'Fatima', 'Omar', 'Ngaio', 'Rangi',
] as const;

export const LAST_NAMES = [
  'Okafor', 'Smith', 'Williams', 'Brown', 'Taylor', 'Wilson', 'Ngata', 'Walker', 'Harris', 'Clarke',
  'Patel', 'Singh', 'Chen', 'Wang', 'Kim', 'Tuilagi', 'Parata', 'Martin', 'Thompson', 'White',
  'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell',
  "O'Brien", 'Müller', 'García', 'Rossi', 'Dubois', 'Nguyen', 'Tanaka', 'Kowalski', 'Silva', 'Cohen',
] as const;

export const COMPANIES = ['Harbour Cafe Ltd', 'Kauri Design', 'Southern Surf Co', 'Pohutukawa Press'] as const;

export const OUTLETS: ReadonlyArray<{ name: string; prefix: string; timeZone: string; city: string; country: string }> = [
  { name: 'Wellington Central', prefix: 'WLG', timeZone: 'Pacific/Auckland', city: 'Wellington', country: 'NZ' },
  { name: 'Sydney Surry Hills', prefix: 'SYD', timeZone: 'Australia/Sydney', city: 'Sydney', country: 'AU' },
  { name: 'Auckland Ponsonby', prefix: 'AKL', timeZone: 'Pacific/Auckland', city: 'Auckland', country: 'NZ' },
  { name: 'Los Angeles Venice', prefix: 'LAX', timeZone: 'America/Los_Angeles', city: 'Los Angeles', country: 'US' },
  { name: 'London Soho', prefix: 'LON', timeZone: 'Europe/London', city: 'London', country: 'GB' },
  { name: 'Perth Fremantle', prefix: 'PER', timeZone: 'Australia/Perth', city: 'Perth', country: 'AU' },
  { name: 'Chatham Islands Pop-up', prefix: 'CHT', timeZone: 'Pacific/Chatham', city: 'Waitangi', country: 'NZ' },
  { name: 'New York SoHo', prefix: 'NYC', timeZone: 'America/New_York', city: 'New York', country: 'US' },
];

export const CURRENCY_SYMBOLS: Record<string, string> = { NZD: '$', AUD: '$', USD: '$', GBP: '£', EUR: '€', JPY: '¥' };
