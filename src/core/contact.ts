/** Normalizing the identifiers people are matched on: e-mail addresses and phone numbers. */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

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
 * E.164 (`+14155550123`) for matching, or undefined when the number cannot be used:
 * - written with a country code (`+31 6 1234 5678`, `0031 6 …`): E.164 when it is a possible number
 *   for that country (right length); numbers already written in E.164 skip the (slow) full parse;
 * - written without one (`06-12345678`): read in `region` (ISO 3166-1 alpha-2) and E.164 only when it
 *   is a valid number there; without a region it cannot be read.
 * A number that is not used is still the customer's: the master keeps it as written (docs/metrics.md).
 */
export function normalizePhone(raw: string | undefined, region: string | undefined): string | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (E164.test(trimmed)) return trimmed;
  if (!/\d/.test(trimmed)) return undefined;
  // International prefixes written as 00 or +00 (`+001 555 …` appears in Lightspeed's own examples).
  const cleaned = trimmed.replace(/^\+?00/, '+');
  if (cleaned.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(cleaned);
    return parsed?.isPossible() ? parsed.number : undefined;
  }
  if (!region) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, region as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** A phone as written, for the master when it cannot be normalized: trimmed; undefined without a digit. */
export function phoneAsWritten(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed && /\d/.test(trimmed) ? trimmed : undefined;
}

/** Whether `code` is a region libphonenumber knows (ISO 3166-1 alpha-2, upper case). */
export function isPhoneRegion(code: string): boolean {
  return isSupportedCountry(code);
}

/** Remembers normalized phones: the same raw value recurs across sources and records. */
export class PhoneNormalizer {
  /** Per region (the empty string: none), raw value -> normalized; no key strings are built. */
  private readonly byRegion = new Map<string, Map<string, string | undefined>>();
  private size = 0;

  normalize(raw: string | undefined, region: string | undefined): string | undefined {
    if (!raw) return undefined;
    // Already E.164 (most numbers in most stores): what normalizePhone returns, without a map entry
    // (a million of them are about 50 MB of garbage at the peak of `ca compute`).
    if (E164.test(raw)) return raw;
    let cache = this.byRegion.get(region ?? '');
    if (cache === undefined) {
      cache = new Map();
      this.byRegion.set(region ?? '', cache);
    }
    const known = cache.get(raw);
    if (known !== undefined || cache.has(raw)) return known;
    const value = normalizePhone(raw, region);
    if (this.size < 2_000_000) {
      cache.set(raw, value);
      this.size++;
    }
    return value;
  }
}
