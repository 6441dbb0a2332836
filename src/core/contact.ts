/** Normalizing the identifiers people are matched on: e-mail addresses and phone numbers. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Lower-cased and trimmed; undefined when it does not look like an address at all. */
export function normalizeEmail(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const email = raw.trim().toLowerCase();
  const at = email.indexOf('@');
  if (at < 1 || at === email.length - 1 || /\s/.test(email)) return undefined;
  return email;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * E.164 (`+14155550123`), read in `defaultRegion` when the number has no country code; undefined when
 * it is not a possible phone number. Numbers already in E.164 skip the (slow) full parse.
 */
export function normalizePhone(raw: string | undefined, defaultRegion: string): string | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (E164.test(trimmed)) return trimmed;
  if (!/\d/.test(trimmed)) return undefined;
  // International prefixes written as 00 or +00 (`+001 555 …` appears in Lightspeed's own examples).
  const cleaned = trimmed.replace(/^\+?00/, '+');
  const parsed = parsePhoneNumberFromString(cleaned, defaultRegion as CountryCode);
  if (!parsed || !parsed.isPossible()) return undefined;
  return parsed.number;
}

/** Remembers normalized phones: the same raw value recurs across sources and orders. */
export class PhoneNormalizer {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly defaultRegion: string) {}

  normalize(raw: string | undefined): string | undefined {
    if (!raw) return undefined;
    if (this.cache.has(raw)) return this.cache.get(raw);
    const value = normalizePhone(raw, this.defaultRegion);
    if (this.cache.size < 2_000_000) this.cache.set(raw, value);
    return value;
  }
}
