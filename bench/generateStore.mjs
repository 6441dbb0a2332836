/**
 * Writes a chain-sized canonical store straight into data/cache/ column files (deterministic seed), so
 * compute and merge can be measured without fetching ten million orders through an API first.
 *
 *   node bench/generateStore.mjs DIR [--customers 1000000] [--orders 10000000] [--seed 7]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeColumns, encodeDict } from '../dist/io/columnar.js';
import { TABLE_SPECS, ORDER_KINDS, ORDER_STATUSES, CHANNELS, BOOKING_STATUSES } from '../dist/io/tableSpecs.js';
import { Random } from '../dist/sandbox/random.js';

const DAY = 86_400_000;

export async function generateStore(dir, { customers = 1_000_000, orders = 10_000_000, seed = 7, asOf = Date.parse('2026-06-30T00:00:00Z') } = {}) {
  const rng = new Random(seed);
  const history = 3 * 365 * DAY;
  const start = asOf - history;
  const shares = { lightspeed: 0.6, square: 0.25, ecom: 0.15 };
  const orderShares = { lightspeed: 0.7, square: 0.2, ecom: 0.1 };
  const counts = Object.fromEntries(Object.entries(shares).map(([s, f]) => [s, Math.round(customers * f)]));
  const lsCount = counts.lightspeed;
  const emailOf = (source, i) => `${source[0]}${i}@example.com`;
  const locations = { lightspeed: ['Ponsonby', 'Newmarket', 'Takapuna', 'Wellington', 'Christchurch'], square: ['Brooklyn', 'Queens'], ecom: [] };
  const zones = { lightspeed: 'Pacific/Auckland', square: 'America/New_York' };

  const firstSeen = {};
  const lifetime = {};
  for (const source of ['lightspeed', 'square', 'ecom']) {
    const n = counts[source];
    firstSeen[source] = new Float64Array(n);
    lifetime[source] = new Float64Array(n);
    const sourceDir = join(dir, 'cache', source);
    await mkdir(sourceDir, { recursive: true });
    // Customers: one in ten of Square's and eCom's are people Lightspeed knows too (same e-mail).
    const ids = new Array(n);
    const email = new Array(n);
    const phone = new Array(n);
    const first = new Array(n);
    const createdAt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = `${source}-${i}`;
      const shared = source !== 'lightspeed' && rng.chance(0.1);
      email[i] = shared ? emailOf('lightspeed', rng.int(0, lsCount - 1)) : emailOf(source, i);
      const digits = String(1_000_000 + ((i * 7919 + seed) % 9_000_000));
      phone[i] = rng.chance(0.05) ? `(415) ${digits.slice(0, 3)}-${digits.slice(3)}` : `+1${{ lightspeed: '415', square: '646', ecom: '312' }[source]}${digits}`;
      first[i] = `Name${i % 5000}`;
      // Each customer arrives once and stays a while (mean 400 days): purchases fall in that span, so the
      // data has both repeat buying and drop-out, as the lifetime-value models expect.
      firstSeen[source][i] = start + rng.next() * history;
      lifetime[source][i] = Math.min(asOf - firstSeen[source][i], rng.exponential(400 * DAY));
      createdAt[i] = firstSeen[source][i] - rng.next() * 30 * DAY;
    }
    const none = () => ({ codes: new Int32Array(n).fill(-1), dict: [] });
    await writeColumns(join(sourceDir, 'customers.col'), TABLE_SPECS.customers, {
      rows: n,
      data: {
        id: { codes: Int32Array.from({ length: n }, (_, i) => i), dict: ids },
        version: Float64Array.from({ length: n }, (_, i) => i + 1),
        createdAt,
        firstName: encodeDict(first),
        lastName: none(),
        company: none(),
        email: { codes: Int32Array.from({ length: n }, (_, i) => i), dict: email },
        phone: { codes: Int32Array.from({ length: n }, (_, i) => i), dict: phone },
        mobile: none(),
        emailOptOut: new Uint8Array(n).fill(0),
        deleted: new Uint8Array(n).fill(0),
        mergedInto: none(),
      },
    });

    // Orders: a few customers buy often (squared uniform), 20 % of in-store sales are walk-ins.
    const m = Math.round(orders * orderShares[source]);
    const customerCodes = new Int32Array(m);
    const orderedAt = new Float64Array(m);
    const amount = new Float64Array(m);
    const kind = new Uint8Array(m);
    const status = new Uint8Array(m);
    const channel = new Uint8Array(m).fill(CHANNELS.indexOf(source === 'lightspeed' ? 'in_store' : source === 'square' ? 'appointment' : 'online'));
    const location = new Int32Array(m);
    const staff = new Int32Array(m);
    const tips = new Float64Array(m);
    const orderIds = new Array(m);
    const campaign = new Int32Array(m).fill(-1);
    // Square: every payment belongs to an order (one in ten shares it with the payment before: split
    // tender), and every refund names the payment it refunds.
    const purchase = new Int32Array(m).fill(-1);
    const refOrder = new Int32Array(m).fill(-1);
    for (let o = 0; o < m; o++) {
      orderIds[o] = `${source}-o${o}`;
      const u = rng.next();
      const c = Math.floor(u * u * n);
      customerCodes[o] = source === 'lightspeed' && rng.chance(0.2) ? -1 : c;
      orderedAt[o] = firstSeen[source][c] + rng.next() * lifetime[source][c];
      const r = rng.next();
      kind[o] = r < 0.02 ? ORDER_KINDS.indexOf(source === 'square' ? 'refund' : 'return') : ORDER_KINDS.indexOf('sale');
      status[o] = r > 0.98 ? ORDER_STATUSES.indexOf(r > 0.99 ? 'voided' : 'open') : ORDER_STATUSES.indexOf('completed');
      amount[o] = (kind[o] === 0 ? 1 : -1) * (500 + Math.floor(rng.exponential(6000)));
      tips[o] = source === 'square' ? Math.floor(amount[o] * 0.15) : NaN;
      location[o] = locations[source].length ? rng.int(0, locations[source].length - 1) : -1;
      staff[o] = source === 'ecom' ? -1 : rng.int(0, 19);
      if (source === 'ecom' && rng.chance(0.5)) campaign[o] = rng.int(0, 9);
      if (source === 'square' && kind[o] === 0) {
        purchase[o] = o;
        if (o > 0 && kind[o - 1] === 0 && rng.chance(0.1)) {
          purchase[o] = purchase[o - 1];
          customerCodes[o] = customerCodes[o - 1];
          orderedAt[o] = orderedAt[o - 1] + 60_000;
        }
      } else if (source === 'square' && o > 0) refOrder[o] = rng.int(0, o - 1);
    }
    await writeColumns(join(sourceDir, 'orders.col'), TABLE_SPECS.orders, {
      rows: m,
      data: {
        id: { codes: Int32Array.from({ length: m }, (_, i) => i), dict: orderIds },
        version: Float64Array.from({ length: m }, (_, i) => i + 1),
        kind,
        status,
        channel,
        customerId: { codes: customerCodes, dict: ids },
        orderedAt,
        amountMinor: amount,
        tipsMinor: tips,
        currency: { codes: new Int32Array(m).fill(0), dict: ['USD'] },
        locationId: { codes: location, dict: locations[source].map((_, i) => `loc${i}`) },
        staffId: { codes: staff, dict: Array.from({ length: 20 }, (_, i) => `staff${i}`) },
        campaign: { codes: campaign, dict: Array.from({ length: 10 }, (_, i) => `campaign-${i}`) },
        refOrderId: source === 'square' ? { codes: refOrder, dict: orderIds } : { codes: refOrder, dict: [] },
        deleted: new Uint8Array(m).fill(0),
        purchaseId: source === 'square' ? { codes: purchase, dict: orderIds.map((id) => `order-${id}`) } : { codes: purchase, dict: [] },
      },
    });

    if (source === 'square') {
      const b = Math.round(m * 1.2);
      const bc = new Int32Array(b);
      const startAt = new Float64Array(b);
      const bs = new Uint8Array(b);
      for (let i = 0; i < b; i++) {
        const u = rng.next();
        bc[i] = Math.floor(u * u * n);
        startAt[i] = firstSeen[source][bc[i]] + rng.next() * (lifetime[source][bc[i]] + 30 * DAY);
        const r = rng.next();
        bs[i] = BOOKING_STATUSES.indexOf(r < 0.8 ? 'ACCEPTED' : r < 0.88 ? 'CANCELLED_BY_CUSTOMER' : r < 0.92 ? 'CANCELLED_BY_SELLER' : r < 0.96 ? 'NO_SHOW' : 'PENDING');
      }
      await writeColumns(join(sourceDir, 'bookings.col'), TABLE_SPECS.bookings, {
        rows: b,
        data: {
          id: { codes: Int32Array.from({ length: b }, (_, i) => i), dict: Array.from({ length: b }, (_, i) => `b${i}`) },
          version: new Float64Array(b).fill(1),
          customerId: { codes: bc, dict: ids },
          startAt,
          status: bs,
          locationId: { codes: Int32Array.from({ length: b }, () => rng.int(0, 1)), dict: ['loc0', 'loc1'] },
          staffId: { codes: Int32Array.from({ length: b }, () => rng.int(0, 19)), dict: Array.from({ length: 20 }, (_, i) => `staff${i}`) },
          serviceId: { codes: Int32Array.from({ length: b }, () => rng.int(0, 8)), dict: Array.from({ length: 9 }, (_, i) => `svc${i}`) },
          deleted: new Uint8Array(b).fill(0),
        },
      });
    }
    const dims = {
      locations: locations[source].map((name, i) => ({ id: `loc${i}`, name, timeZone: zones[source], country: 'US' })),
      staff: Array.from({ length: 20 }, (_, i) => ({ id: `staff${i}`, name: `Staff ${i}` })),
      services: Array.from({ length: 9 }, (_, i) => ({ id: `svc${i}`, name: `Service ${i}` })),
    };
    await writeFile(join(sourceDir, 'dimensions.json'), JSON.stringify(dims));
  }
  return { asOf };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const t0 = Date.now();
  await generateStore(args[0] ?? 'bench/out/store', { customers: flag('customers', 1_000_000), orders: flag('orders', 10_000_000), seed: flag('seed', 7) });
  console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
