import { describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../../src/sources/lightspeed/normalizeCustomer.js';
import { isWalkInCustomer } from '../../../src/sources/lightspeed/walkIn.js';
import { wireCustomer, type WireCustomer } from '../../../src/sources/lightspeed/wire.js';

describe('normalizeCustomer', () => {
  it('maps the spec example customer', () => {
    const raw: WireCustomer = {
      id: '0a1b2c3d-0000-11ee-aaaa-000000000001',
      customer_code: 'Mira-7QX2',
      first_name: 'Mira',
      last_name: 'Okafor',
      email: 'mira@example.org',
      phone: null,
      mobile: '+64 21 555 0101',
      company_name: null,
      do_not_email: false,
      created_at: '2023-02-01T03:14:15+00:00',
      updated_at: '2024-11-30T22:05:00+00:00',
      deleted_at: null,
      version: 18840012345,
    };
    expect(normalizeCustomer(raw)).toEqual({
      source: 'lightspeed',
      id: '0a1b2c3d-0000-11ee-aaaa-000000000001',
      version: 18840012345,
      createdAt: Date.UTC(2023, 1, 1, 3, 14, 15),
      firstName: 'Mira',
      lastName: 'Okafor',
      email: 'mira@example.org',
      mobile: '+64 21 555 0101',
      emailOptOut: false,
    });
  });

  const cases: Array<[string, Partial<WireCustomer>, Record<string, unknown>]> = [
    ['phone and mobile both passed on', { phone: '04 555 1234', mobile: '021 555 0101' }, { phone: '04 555 1234', mobile: '021 555 0101' }],
    ['do_not_email true -> opt-out', { do_not_email: true }, { emailOptOut: true }],
    ['do_not_email absent', {}, { emailOptOut: undefined }],
    ['company', { company_name: 'Kauri Design' }, { company: 'Kauri Design' }],
    ['blank strings are absent', { email: '  ', first_name: '' }, { email: undefined, firstName: undefined }],
    ['surrounding spaces trimmed', { email: ' a@b.nz ' }, { email: 'a@b.nz' }],
    ['only the deprecated name', { first_name: null, last_name: null, name: 'Tane Ngata Parata' }, { firstName: 'Tane', lastName: 'Ngata Parata' }],
    ['deprecated name of one word', { first_name: undefined, last_name: undefined, name: 'Cher' }, { firstName: 'Cher', lastName: undefined }],
    ['tombstone', { deleted_at: '2025-01-02T03:04:05+00:00' }, { deleted: true }],
  ];
  it.each(cases)('%s', (_name, patch, expected) => {
    const record = normalizeCustomer(wireCustomer.parse({ id: 'c1', version: 5, ...patch })) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) expect(record).not.toHaveProperty(key);
      else expect(record[key]).toEqual(value);
    }
  });

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['do_not_email as text (2.0 says boolean)', { do_not_email: '1' }, 'do_not_email'],
    ['a created_at that is no time', { created_at: 'soon' }, 'created_at'],
    ['an e-mail that is a number', { email: 42 }, 'email'],
    ['no version', { version: undefined }, 'version'],
  ];
  it.each(refused)('refuses %s', (_name, patch, field) => {
    const parsed = wireCustomer.safeParse({ id: 'c1', version: 5, ...patch });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('isWalkInCustomer', () => {
  const cases: Array<[Partial<WireCustomer>, boolean]> = [
    [{ customer_code: 'WALKIN' }, true],
    [{ customer_code: 'walk-in' }, true],
    [{ customer_code: 'Walk In' }, true],
    [{ first_name: 'Walk-in', last_name: 'Customer' }, true],
    [{ name: 'WALKIN' }, true],
    [{ customer_code: 'Mira-7QX2', first_name: 'Mira' }, false],
    [{ customer_code: 'WALKINGSTICK' }, false],
    [{ first_name: 'Walker' }, false],
    [{}, false],
  ];
  it.each(cases)('%o -> %s', (patch, expected) => {
    expect(isWalkInCustomer({ id: 'x', version: 1, ...patch })).toBe(expected);
  });
});
