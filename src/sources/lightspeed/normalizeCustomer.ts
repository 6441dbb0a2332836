/** X-Series customer (checked against `wireCustomer`) → CustomerRecord. Pure. */
import type { CustomerRecord } from '../../core/model.js';
import { text, time, type WireCustomer } from './wire.js';

export function normalizeCustomer(raw: WireCustomer): CustomerRecord {
  let firstName = text(raw.first_name);
  let lastName = text(raw.last_name);
  if (!firstName && !lastName) {
    // Older records may carry only the deprecated full `name`.
    const name = text(raw.name);
    if (name) {
      const space = name.indexOf(' ');
      firstName = space < 0 ? name : name.slice(0, space);
      lastName = space < 0 ? undefined : name.slice(space + 1).trim() || undefined;
    }
  }
  return compact({
    source: 'lightspeed',
    id: raw.id,
    version: raw.version,
    createdAt: time(raw.created_at),
    firstName,
    lastName,
    company: text(raw.company_name),
    email: text(raw.email),
    phone: text(raw.phone),
    mobile: text(raw.mobile),
    emailOptOut: raw.do_not_email ?? undefined,
    deleted: text(raw.deleted_at) ? true : undefined,
  });
}

/** Drops undefined fields so records compare and serialise cleanly. */
export function compact<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as T;
}
