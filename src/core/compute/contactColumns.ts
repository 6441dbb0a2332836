/** Contact part: who the customer is, from their source records (live records before deleted ones). */
import { SOURCE_CODES } from '../computeInput.js';
import type { Prepared } from './prepare.js';
import type { MasterColumnData, TextColumn } from './types.js';
import type { CustomerVisit } from './visit.js';

export const CONTACT_COLUMNS = [
  'customer_id',
  'lightspeed_customer_ids',
  'square_customer_ids',
  'ecom_customer_keys',
  'first_name',
  'last_name',
  'company',
  'email',
  'phone',
  'email_opt_out',
  'customer_since',
] as const;

export class ContactPart {
  private readonly customerId: TextColumn;
  private readonly idLists: TextColumn[];
  private readonly firstName: TextColumn;
  private readonly lastName: TextColumn;
  private readonly company: TextColumn;
  private readonly email: TextColumn;
  private readonly phone: TextColumn;
  private readonly emailOptOut: Uint8Array;
  private readonly customerSince: Float64Array;
  private readonly ids: string[] = [];
  private readonly bySourceThenNewest: (a: number, b: number) => number;

  constructor(
    private readonly p: Prepared,
    columns: Record<string, MasterColumnData>,
  ) {
    this.customerId = columns.customer_id as TextColumn;
    // One list column per source code, in SOURCE_CODES order.
    this.idLists = [columns.lightspeed_customer_ids, columns.square_customer_ids, columns.ecom_customer_keys] as TextColumn[];
    if (this.idLists.length !== SOURCE_CODES.length) throw new Error('compute: one id list column per source');
    this.firstName = columns.first_name as TextColumn;
    this.lastName = columns.last_name as TextColumn;
    this.company = columns.company as TextColumn;
    this.email = columns.email as TextColumn;
    this.phone = columns.phone as TextColumn;
    this.emailOptOut = columns.email_opt_out as Uint8Array;
    this.customerSince = columns.customer_since as Float64Array;
    const customers = p.input.customers;
    this.bySourceThenNewest = (a, b) => customers.source[a] - customers.source[b] || (customers.createdAt[b] || 0) - (customers.createdAt[a] || 0);
  }

  visit(v: CustomerVisit): void {
    const { recordsByCluster, identities } = this.p;
    const customers = this.p.input.customers;
    const k = v.k;
    const recs = v.recs;
    for (let i = recordsByCluster.start[k]; i < recordsByCluster.start[k + 1]; i++) recs.push(recordsByCluster.order[i]);
    if (recs.length > 1) recs.sort(this.bySourceThenNewest);
    let since = Infinity;
    let optOut = 0;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i];
      const created = customers.createdAt[r];
      if (!Number.isNaN(created) && created < since) since = created;
      if (customers.emailOptOut[r] === 1) optOut = 1;
    }
    // Live records' contact data first; a deleted record's only where nothing else is known.
    const { firstName, lastName, company, email, phone } = this;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < recs.length; i++) {
        const r = recs[i];
        if (pass === 0 && customers.deleted[r] === 1) continue;
        firstName[k] ??= customers.firstName[r] || undefined;
        lastName[k] ??= customers.lastName[r] || undefined;
        company[k] ??= customers.company[r] || undefined;
        email[k] ??= identities.email[r];
        phone[k] ??= identities.phone[r];
      }
    }
    // A number that could not be normalized is shown as written, only when no record has a usable one.
    for (let pass = 0; pass < 2 && phone[k] === undefined; pass++) {
      for (let i = 0; i < recs.length; i++) if (pass === 1 || customers.deleted[recs[i]] !== 1) phone[k] ??= identities.phoneWritten[recs[i]];
    }
    this.customerId[k] = identities.customerId[k];
    for (let source = 0; source < this.idLists.length; source++) this.idLists[source][k] = this.idList(recs, source);
    this.emailOptOut[k] = optOut;
    this.customerSince[k] = since === Infinity ? NaN : since;
    for (let i = 0; i < recs.length; i++) v.sources |= 1 << customers.source[recs[i]];
  }

  /** The `;`-separated, sorted ids of this customer's records from one source. */
  private idList(recs: readonly number[], source: number): string | undefined {
    const customers = this.p.input.customers;
    const ids = this.ids;
    ids.length = 0;
    for (let i = 0; i < recs.length; i++) if (customers.source[recs[i]] === source) ids.push(customers.id[recs[i]]);
    if (ids.length === 0) return undefined;
    if (ids.length === 1) return ids[0];
    return ids.sort().join(';');
  }
}
