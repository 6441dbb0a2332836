/** A customer as the ecom source knows them, from this export and what earlier imports stored. */
import type { CustomerRecord } from '../../core/model.js';
import type { CustomerFacts } from './orderGrouper.js';
import { CONTACT_FIELDS } from './readRow.js';

/**
 * Contact fields come from the customer's latest order in this export that has them; a field this
 * export leaves empty keeps the stored value (an export without a phone column erases no phones).
 * `createdAt` is the earliest order time known: this export's or the store's, whichever is older.
 */
export function customerRecord(facts: CustomerFacts, stored: CustomerRecord | undefined, version: number): CustomerRecord {
  const record: CustomerRecord = { ...stored, source: 'ecom', id: facts.id, version };
  record.createdAt = stored?.createdAt === undefined ? facts.firstOrderAt : Math.min(stored.createdAt, facts.firstOrderAt);
  for (const field of CONTACT_FIELDS) {
    const value = facts.contact[field];
    if (value !== undefined) record[field] = value;
  }
  return record;
}
