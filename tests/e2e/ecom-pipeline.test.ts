/**
 * The offline core end to end: the real `ca` binary imports an e-commerce export, computes, merges and
 * checks, in a throwaway folder. Expected values are worked out by hand from tests/fixtures/e2e/webshop.csv
 * (semicolons, decimal commas, dd-MM-yyyy HH:mm in Europe/Amsterdam: CET +1 in winter, CEST +2 in summer).
 */
import { copyFile, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, removeDir, REPO, runCa, tempDir } from '../helpers/cli.js';

const FIXTURES = join(REPO, 'tests', 'fixtures', 'e2e');
const AS_OF = '--as-of=2025-06-30T12:00:00Z';
let dir: string;
let master: Record<string, string>[];
const byKey = (key: string) => master.find((r) => r.ecom_customer_keys === key)!;

beforeAll(async () => {
  dir = await tempDir();
  await copyFile(join(FIXTURES, 'webshop.csv'), join(dir, 'webshop.csv'));
  await copyFile(join(FIXTURES, 'webshop.mapping.json'), join(dir, 'webshop.mapping.json'));
  await writeFile(join(dir, 'ca.config.json'), JSON.stringify({ defaultRegion: 'NL' }));
  const imported = await runCa(['import', 'ecom', 'webshop.csv', '--mapping', 'webshop.mapping.json', '--json'], { cwd: dir });
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  const summary = JSON.parse(imported.stdout);
  // 9 data rows: line 9 has 31 February, line 10 a total of "abc"; A-6 is cancelled but still an order.
  expect([summary.rowsRead, summary.ordersTaken, summary.rowsRejected]).toEqual([9, 7, 2]);
  expect(summary.guestOrders).toBe(1);
  const compute = await runCa(['compute', AS_OF], { cwd: dir });
  expect(compute.code, compute.stderr).toBe(0);
  const merge = await runCa(['merge', AS_OF], { cwd: dir });
  expect(merge.code, merge.stderr).toBe(0);
  master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
});

afterAll(async () => {
  await removeDir(dir);
});

describe('import', () => {
  it('keeps the export byte for byte and writes the rejected rows with line and reason', async () => {
    expect(await readFile(join(dir, 'data', 'ecom_orders_export.csv'))).toEqual(await readFile(join(FIXTURES, 'webshop.csv')));
    const [rejects] = (await readdir(join(dir, 'data', 'rejects'))).filter((f) => f.endsWith('.csv'));
    const rows = await readCsv(join(dir, 'data', 'rejects', rejects));
    expect(rows.map((r) => [r.line, r.field])).toEqual([
      ['9', 'ordered_at'],
      ['10', 'order_total'],
    ]);
  });
});

describe('the master', () => {
  it('has one row per customer, guests left out, in the contract format', async () => {
    expect(master.map((r) => r.ecom_customer_keys).sort()).toEqual(['C1', 'C2', 'C3', 'C4']);
    const text = await readFile(join(dir, 'data', 'customer_analytics_master.csv'), 'utf8');
    expect(text.startsWith('\uFEFFcustomer_id,lightspeed_customer_ids,')).toBe(true);
  });

  it('computes a repeat buyer (Eva: 1200.50 on 5 Jan 10:00 CET, 80.00 on 10 Feb 12:00 CET)', () => {
    const eva = byKey('C1');
    expect(eva).toMatchObject({
      email: 'eva@example.nl',
      phone: '+31 6 12345678',
      first_order_at: '2025-01-05T09:00:00',
      last_order_at: '2025-02-10T11:00:00',
      first_order_channel: 'online',
      first_order_location: 'Webshop',
      first_order_source: 'newsletter',
      orders_count: '2',
      online_orders: '2',
      gross_revenue: '1280.50',
      refunds: '0.00',
      net_revenue: '1280.50',
      avg_order_value: '640.25',
      currency: 'EUR',
      days_since_last_order: '140',
      avg_days_between_orders: '36.1',
      lifecycle_segment: 'AT_RISK',
      value_tier: 'VIP',
      rfm_score: '155',
      rfm_segment: 'cant_lose',
      is_repeat_customer: 'true',
      is_first_time_buyer: 'false',
      sources: 'ecom',
    });
  });

  it('treats a negative total as a return, not an order (Jan: 45.25 bought, 10.00 returned)', () => {
    expect(byKey('C2')).toMatchObject({
      last_name: 'Jansen; Jr.',
      orders_count: '1',
      gross_revenue: '45.25',
      refunds: '10.00',
      net_revenue: '35.25',
      avg_order_value: '35.25',
      first_order_at: '2025-06-15T07:30:00',
      lifecycle_segment: 'NEW',
      rfm_score: '311',
      rfm_segment: 'about_to_sleep',
      value_tier: 'LOW',
      is_first_time_buyer: 'true',
    });
  });

  it('keeps a customer with only a cancelled order as a prospect, and makes formula-like text inert', () => {
    const mal = byKey('C3');
    expect(mal).toMatchObject({ orders_count: '0', lifecycle_segment: 'PROSPECT', value_tier: '', rfm_score: '', email: '', last_name: "'=cmd" });
    const ann = byKey('C4');
    expect(ann).toMatchObject({ first_name: "'+Ann", phone: '+31 6 98765432', net_revenue: '50.00', rfm_score: '513', rfm_segment: 'new_customers', value_tier: 'MEDIUM' });
  });

  it('lists the first-time buyers of the last 30 days', async () => {
    const rows = await readCsv(join(dir, 'data', 'first_time_buyers.csv'));
    expect(rows.map((r) => [r.first_name, r.first_order_at, r.first_order_amount, r.has_returned, r.source])).toEqual([
      ['Jan', '2025-06-15T07:30:00', '45.25', 'false', 'ecom'],
      ["'+Ann", '2025-06-26T11:15:00', '50.00', 'false', 'ecom'],
    ]);
  });

  it('writes the daily report in the shop time zone, guests in orders and revenue only', async () => {
    const rows = await readCsv(join(dir, 'data', 'reports', 'daily_by_location.csv'));
    expect(rows.map((r) => [r.date, r.location, r.orders, r.revenue, r.unique_customers, r.new_customers, r.returning_customers])).toEqual([
      ['2025-01-05', 'Webshop', '1', '1200.50', '1', '1', '0'],
      ['2025-02-10', 'Webshop', '1', '80.00', '1', '0', '1'],
      ['2025-06-15', 'Webshop', '1', '45.25', '1', '1', '0'],
      ['2025-06-21', 'Webshop', '1', '19.95', '0', '0', '0'],
      ['2025-06-26', 'Webshop', '1', '50.00', '1', '1', '0'],
    ]);
  });
});

describe('ca customer', () => {
  it('finds a customer by a phone number written the way the shop writes it', async () => {
    // Eva's export phone is "06 1234 5678", read in the configured region NL: +31612345678.
    const found = await runCa(['customer', '06-12345678', '--json'], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    const views = JSON.parse(found.stdout) as { row: Record<string, string> }[];
    expect(views.map((v) => [v.row.ecom_customer_keys, v.row.phone])).toEqual([['C1', '+31612345678']]);
  });
});

describe('ca report daily', () => {
  it('writes the daily report for a date range to a file named for it', async () => {
    const run = await runCa(['report', 'daily', '--from', '2025-06-01', '--to', '2025-06-21'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const rows = await readCsv(join(dir, 'data', 'reports', 'daily_by_location_2025-06-01_2025-06-21.csv'));
    expect(rows.map((r) => r.date)).toEqual(['2025-06-15', '2025-06-21']);
    expect((await runCa(['report', 'daily', '--from', 'June'], { cwd: dir })).code).toBe(2);
    expect((await runCa(['report', 'daily'], { cwd: dir })).code).toBe(0);
  });
});

describe('check, reruns and columns you add', () => {
  it('passes every check', async () => {
    const check = await runCa(['check', '--json'], { cwd: dir });
    expect(check.code, check.stdout).toBe(0);
    expect(JSON.parse(check.stdout).checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
  });

  it('converges: importing the same file again and rerunning gives the same master', async () => {
    const before = await readFile(join(dir, 'data', 'customer_analytics_master.csv'));
    expect((await runCa(['import', 'ecom', 'webshop.csv', '--mapping', 'webshop.mapping.json'], { cwd: dir })).code).toBe(0);
    expect((await runCa(['compute', AS_OF], { cwd: dir })).code).toBe(0);
    expect((await runCa(['merge', AS_OF], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'data', 'customer_analytics_master.csv'))).toEqual(before);
  });

  it('keeps a column the user added, and archives the previous master', async () => {
    const path = join(dir, 'data', 'customer_analytics_master.csv');
    const text = await readFile(path, 'utf8');
    const lines = text.split('\r\n');
    const evaId = byKey('C1').customer_id;
    const edited = lines.map((line, i) => (i === 0 ? `${line},notes` : line === '' ? line : `${line},${line.startsWith(evaId) ? 'call back' : ''}`));
    await writeFile(path, edited.join('\r\n'));
    expect((await runCa(['merge', AS_OF], { cwd: dir })).code).toBe(0);
    const after = await readCsv(path);
    expect(Object.keys(after[0]).at(-1)).toBe('notes');
    expect(after.find((r) => r.customer_id === evaId)!.notes).toBe('call back');
    expect(after.filter((r) => r.notes !== '').length).toBe(1);
    const archived = (await readdir(join(dir, 'archive'))).filter((f) => f.startsWith('customer_analytics_master.'));
    expect(archived.length).toBeGreaterThanOrEqual(1);
  });

  it('fails check with a non-zero exit when the master is tampered with', async () => {
    const path = join(dir, 'data', 'customer_analytics_master.csv');
    const rows = (await readFile(path, 'utf8')).split('\r\n');
    // Duplicate Eva's row: customer_id is no longer unique.
    const eva = rows.find((line) => line.startsWith(byKey('C1').customer_id))!;
    await writeFile(path, [...rows.slice(0, -1), eva, ''].join('\r\n'));
    const check = await runCa(['check'], { cwd: dir });
    expect(check.code).toBe(9);
    expect(check.stdout).toMatch(/FAIL\s+customer_id unique/);
  });
});

describe('ca check on a master edited by hand', () => {
  it('names each broken row by line and customer, and a customer of the cache missing from the master', async () => {
    const copy = await tempDir();
    try {
      await cp(dir, copy, { recursive: true });
      const path = join(copy, 'data', 'customer_analytics_master.csv');
      const rows = await readCsv(path);
      const header = Object.keys(rows[0]);
      // Without C4, and without the copy of Eva's row the test above added.
      const edited = rows.filter((r, i) => r.ecom_customer_keys !== 'C4' && rows.findIndex((o) => o.customer_id === r.customer_id) === i);
      const line = (key: string) => edited.findIndex((r) => r.ecom_customer_keys === key) + 2;
      const row = (key: string) => edited.find((r) => r.ecom_customer_keys === key)!;
      // Eva: 1280.50 over 2 orders is 640.25 an order, not 600.00.
      row('C1').avg_order_value = '600.00';
      const c2 = row('C2');
      const firstOrderAt = c2.first_order_at;
      c2.first_order_at = '2099-01-01T00:00:00';
      row('C3').lifecycle_segment = 'SUPERSTAR';
      await writeFile(path, '\uFEFF' + stringify(edited, { header: true, columns: header, record_delimiter: '\r\n' }));

      const run = await runCa(['check', '--json'], { cwd: copy });
      expect(run.code).toBe(9);
      const failed = Object.fromEntries(
        (JSON.parse(run.stdout).checks as { name: string; ok: boolean; detail: string }[]).filter((c) => !c.ok).map((c) => [c.name, c.detail]),
      );
      expect(failed).toEqual({
        'first_order_at <= last_order_at': `line ${line('C2')} (${c2.customer_id}): first_order_at 2099-01-01T00:00:00Z is after last_order_at ${c2.last_order_at}Z`,
        'avg_order_value = net_revenue / orders_count': `line ${line('C1')} (${row('C1').customer_id}): avg_order_value 600.00 but net_revenue / orders_count = 640.25`,
        'segment values legal': `line ${line('C3')} (${row('C3').customer_id}): lifecycle_segment "SUPERSTAR" is not one of PROSPECT, NEW, ACTIVE, AT_RISK, LOST`,
        'customers with orders in the cache are in the master': 'ecom customer C4 has orders but is not in the master',
        'first_order_at = earliest order in the cache': `${c2.customer_id}: first_order_at 2099-01-01T00:00:00Z but the earliest order in the cache is ${firstOrderAt}Z`,
      });
    } finally {
      await removeDir(copy);
    }
  });
});

describe('a line-level, tab-separated export with US dates (tests/fixtures/ecom/lines-tab.csv)', () => {
  it('groups lines into orders and computes from them', async () => {
    const lines = await tempDir();
    try {
      const ecomFixtures = join(REPO, 'tests', 'fixtures', 'ecom');
      const imported = await runCa(['import', 'ecom', join(ecomFixtures, 'lines-tab.csv'), '--mapping', join(ecomFixtures, 'lines-tab.mapping.json'), '--json'], { cwd: lines });
      expect(imported.code, imported.stderr).toBe(0);
      // 6 rows (one with a quoted line break): A-1 has three lines, so 4 orders + 2 lines grouped into A-1.
      expect(JSON.parse(imported.stdout)).toMatchObject({ rowsRead: 6, ordersTaken: 4, linesGrouped: 2, rowsRejected: 0, guestOrders: 1 });
      const asOf = '--as-of=2026-01-15T00:00:00Z';
      expect((await runCa(['compute', asOf], { cwd: lines })).code).toBe(0);
      expect((await runCa(['merge', asOf], { cwd: lines })).code).toBe(0);
      const rows = await readCsv(join(lines, 'data', 'customer_analytics_master.csv'));
      const kim = rows.find((r) => r.ecom_customer_keys === 'K1')!;
      const max = rows.find((r) => r.ecom_customer_keys === 'K2')!;
      // Kim: 2 × 7.50 + 4.25 + 4 × 1.10 on 2 June 09:05 in Los Angeles (PDT, UTC-7).
      expect(kim).toMatchObject({ orders_count: '1', gross_revenue: '23.65', first_order_at: '2025-06-02T16:05:00', currency: 'USD' });
      // Max: a 20.00 bag on 4 June 08:00 PDT, returned on 31 December 23:59 PST (UTC-8).
      expect(max).toMatchObject({ orders_count: '1', gross_revenue: '20.00', refunds: '20.00', net_revenue: '0.00', first_order_at: '2025-06-04T15:00:00' });
      expect(rows).toHaveLength(2); // the guest is not a customer
    } finally {
      await removeDir(lines);
    }
  });
});
