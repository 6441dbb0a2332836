/**
 * src/core/contact.ts: the identifiers people are matched on. Expected values are worked by hand from
 * the numbering plans (NL mobiles 06 + 8 digits, +31 6 …; NANP 10 digits, +1 …; UK mobiles 07 + 9
 * digits, +44 7 …), not from the library the code calls.
 */
import { describe, expect, it } from 'vitest';
import { isPhoneRegion, normalizeEmail, normalizePhone, phoneAsWritten, PhoneNormalizer } from '../../../src/core/contact.js';

describe('normalizeEmail', () => {
  it.each([
    [' Anna.de.Vries@Example.COM ', 'anna.de.vries@example.com'],
    ['BOB@EXAMPLE.NL', 'bob@example.nl'],
    ['a@b', 'a@b'],
  ])('%j -> %j (trimmed, lower-cased)', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([[undefined], [''], ['   '], ['no-at-sign.example.com'], ['@example.com'], ['anna@'], ['an na@example.com'], ['anna@exa mple.com']])(
    '%j is not an address',
    (raw) => {
      expect(normalizeEmail(raw)).toBeUndefined();
    },
  );
});

describe('normalizePhone', () => {
  it('keeps a number already in E.164 as it is', () => {
    expect(normalizePhone('+14155550123', undefined)).toBe('+14155550123');
    expect(normalizePhone('  +31612345678 ', 'US')).toBe('+31612345678');
  });

  it.each([
    ['+31 6 1234 5678', '+31612345678'],
    ['0031 6 1234 5678', '+31612345678'],
    ['+0031 6-12345678', '+31612345678'],
    ['+001 (201) 555-0123', '+12015550123'],
    ['+44 7400 123456', '+447400123456'],
  ])('%j, written with a country code, is %s in any region', (raw, expected) => {
    expect(normalizePhone(raw, undefined)).toBe(expected);
    expect(normalizePhone(raw, 'US')).toBe(expected);
  });

  it.each([
    ['06-12345678', 'NL', '+31612345678'],
    ['06 1234 5678', 'NL', '+31612345678'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['201.555.0123', 'US', '+12015550123'],
    ['07400 123456', 'GB', '+447400123456'],
  ])('%j, written without one, is read in its region %s: %s', (raw, region, expected) => {
    expect(normalizePhone(raw, region)).toBe(expected);
  });

  it('cannot read a number without a country code when no region is known', () => {
    expect(normalizePhone('06-12345678', undefined)).toBeUndefined();
  });

  it('reads the same digits differently in different regions, and refuses them where they are not valid', () => {
    // 06 12345678 is a Dutch mobile; in the US it has neither the length nor the form of a number.
    expect(normalizePhone('0612345678', 'NL')).toBe('+31612345678');
    expect(normalizePhone('0612345678', 'US')).toBeUndefined();
    expect(normalizePhone('12345', 'US')).toBeUndefined();
  });

  it('refuses what cannot be a number: no digits, or too short for its country code', () => {
    expect(normalizePhone(undefined, 'US')).toBeUndefined();
    expect(normalizePhone('', 'US')).toBeUndefined();
    expect(normalizePhone('n/a', 'US')).toBeUndefined();
    expect(normalizePhone('+1 234', undefined)).toBeUndefined();
  });
});

describe('phoneAsWritten', () => {
  it('is the number trimmed, when it has a digit', () => {
    expect(phoneAsWritten('  (020) 123 ')).toBe('(020) 123');
    expect(phoneAsWritten('ext. 5')).toBe('ext. 5');
  });
  it('is nothing without a digit', () => {
    expect(phoneAsWritten(undefined)).toBeUndefined();
    expect(phoneAsWritten('  ')).toBeUndefined();
    expect(phoneAsWritten('unknown')).toBeUndefined();
  });
});

describe('PhoneNormalizer', () => {
  it('gives what normalizePhone gives, remembering per region', () => {
    const phones = new PhoneNormalizer();
    expect(phones.normalize('0612345678', 'NL')).toBe('+31612345678');
    // The same raw value without a region, or in another, is a different question.
    expect(phones.normalize('0612345678', undefined)).toBeUndefined();
    expect(phones.normalize('0612345678', 'US')).toBeUndefined();
    expect(phones.normalize('0612345678', 'NL')).toBe('+31612345678');
    expect(phones.normalize(undefined, 'NL')).toBeUndefined();
  });
});

describe('isPhoneRegion', () => {
  it('knows ISO 3166-1 alpha-2 regions, upper case', () => {
    expect(isPhoneRegion('NL')).toBe(true);
    expect(isPhoneRegion('US')).toBe(true);
    expect(isPhoneRegion('XX')).toBe(false);
    expect(isPhoneRegion('nl')).toBe(false);
  });
});
