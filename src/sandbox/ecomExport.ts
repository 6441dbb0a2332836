/**
 * A generated Lightspeed eCom back-office order export (CSV, in the shipped `lightspeed-ecom` preset's
 * columns) for the demo. Some buyers are people the Lightspeed and Square sandboxes know too (same
 * e-mail), so the demo shows one customer across three sources; the rest are web-only customers and
 * guest checkouts.
 */
import { Random } from './random.js';
import { DAY_MS } from '../core/localTime.js';

export interface Person {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

export interface EcomExportOptions {
  seed: number;
  /** The export's end (epoch ms); orders fall in the `days` before it. */
  now: number;
  days: number;
  orders: number;
  /** People known to the other sources; about a third of the buyers are drawn from them. */
  known: Person[];
  currency: string;
}

const HEADER = ['Number', 'Date', 'Customer ID', 'E-mail', 'Firstname', 'Lastname', 'Phone', 'Total incl. tax', 'Status', 'Currency', 'Channel'];
const CHANNELS = ['newsletter', 'instagram', 'google', 'direct', ''];
const FIRST = ['Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Eli', 'Ivy', 'Leo', 'Ruby', 'Max'];
const LAST = ['Kowalski', 'Nguyen', 'Okafor', 'Silva', 'Haddad', 'Berg', 'Moreau', 'Tanaka'];

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function generateEcomExport(options: EcomExportOptions): string {
  const rng = new Random(options.seed);
  const buyers: (Person & { key?: string })[] = [];
  const known = options.known.filter((p) => p.email);
  const buyerCount = Math.max(1, Math.round(options.orders / 3));
  for (let i = 0; i < buyerCount; i++) {
    const fromKnown = known.length > 0 && rng.chance(0.35);
    const person = fromKnown
      ? known[rng.int(0, known.length - 1)]
      : { firstName: rng.pick(FIRST), lastName: rng.pick(LAST), email: `web${i}@shop.example`, phone: rng.chance(0.5) ? `+1 (503) 555-${String(1000 + i).slice(-4)}` : undefined };
    buyers.push({ ...person, key: `W${10000 + i}` });
  }
  const lines = [HEADER.join(',')];
  const start = options.now - options.days * DAY_MS;
  const rows: { at: number; line: string[] }[] = [];
  for (let n = 0; n < options.orders; n++) {
    const guest = rng.chance(0.1);
    const buyer = guest ? undefined : buyers[Math.floor(rng.next() ** 2 * buyers.length)];
    const at = start + rng.next() * (options.now - start - 3_600_000);
    const cancelled = rng.chance(0.04);
    const returned = !cancelled && rng.chance(0.03);
    const total = (returned ? -1 : 1) * (15 + Math.round(rng.exponential(60) * 100) / 100);
    rows.push({
      at,
      line: [
        '', // numbered below, in date order
        new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        buyer?.key ?? '',
        buyer?.email ?? (guest ? `guest${n}@mail.example` : ''),
        buyer?.firstName ?? 'Guest',
        buyer?.lastName ?? '',
        buyer?.phone ?? '',
        total.toFixed(2),
        cancelled ? 'cancelled' : rng.pick(['completed_shipped', 'completed_picked_up', 'completed']),
        options.currency,
        rng.pick(CHANNELS),
      ],
    });
  }
  rows.sort((a, b) => a.at - b.at);
  rows.forEach((row, i) => {
    row.line[0] = `ORD${100000 + i}`;
    lines.push(row.line.map(cell).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
