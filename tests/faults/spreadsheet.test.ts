/**
 * Spreadsheet safety: names, companies, locations, campaigns and order ids that a spreadsheet would
 * run as formulas (`=HYPERLINK(…)`, `+cmd`, `@SUM(A1)`, `-2+3`, tab-prefixed), from an e-commerce export
 * and from Lightspeed customers and outlets, come out inert in every CSV `ca` writes: master,
 * first-time buyers, reports, rejects. Phones (in international format, `+1 415 555 0123`) and negative
 * amounts stay as they are.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCa } from '../helpers/cli.js';
import { AS_OF, NOW, paths, removeWorkdirs, startSandboxes, walk, workdir, type Sandboxes } from './helpers.js';

const DANGEROUS = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** How the master writes a phone in E.164 (src/core/sheetCells.ts): digits in groups, never a formula. */
const INTERNATIONAL_PHONE = /^\+[1-9]\d{0,2}( \d+)+$/;
const DAY = 86_400_000;

let sandboxes: Sandboxes;
let dir: string;
let csvFiles: string[];
const rows = new Map<string, Record<string, string>[]>();
/** The Lightspeed customer given formula-like names: one whose first purchase is in the last 30 days. */
let lightspeedBuyer: string;

beforeAll(async () => {
  sandboxes = await startSandboxes(41);
  const control = sandboxes.lightspeed.control;
  const firstSale = new Map<string, number>();
  for (const sale of control.records('sales')) {
    if (!sale.customer_id || !/CLOSED$/.test(String(sale.status)) || Number(sale.total_price) <= 0) continue;
    const at = Date.parse(String(sale.sale_date));
    const id = String(sale.customer_id);
    firstSale.set(id, Math.min(firstSale.get(id) ?? Infinity, at));
  }
  lightspeedBuyer = [...firstSale].find(([, at]) => at > NOW - 20 * DAY && at < NOW - DAY)![0];
  control.upsert('customers', {
    id: lightspeedBuyer,
    first_name: '=HYPERLINK("http://evil.example","click")',
    last_name: '\t+cmd',
    company_name: '@SUM(A1)',
    phone: '+14155550188',
    email: 'formula.buyer@example.com',
  });
  for (const outlet of control.records('outlets')) control.upsert('outlets', { id: outlet.id, name: `-2+3 ${String(outlet.name)}` });

  dir = await workdir({ ecom: { mapping: 'generic', file: 'formulas.csv' } });
  await copyFile(join(REPO, 'tests', 'fixtures', 'faults', 'formulas.csv'), join(dir, 'formulas.csv'));
  const run = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
  expect(run.code, run.stderr).toBe(0);
  const report = await runCa(['report', 'daily', AS_OF], { cwd: dir });
  expect(report.code, report.stderr).toBe(0);
  csvFiles = (await walk(paths(dir).data)).filter((f) => f.endsWith('.csv') && !f.startsWith('cache') && f !== 'ecom_orders_export.csv');
  for (const file of csvFiles) {
    rows.set(file, parse(await readFile(join(paths(dir).data, file)), { bom: true, columns: true }) as Record<string, string>[]);
  }
});

afterAll(async () => {
  await sandboxes?.close();
  await removeWorkdirs();
});

const master = () => rows.get('customer_analytics_master.csv')!;

describe('every CSV ca writes is inert', () => {
  it('writes the files this test reads', () => {
    const names = csvFiles.map((f) => f.replace(/ecom-\d{8}T\d{6}Z/, 'ecom-*')).sort();
    expect(names).toEqual(['customer_analytics_master.csv', 'first_time_buyers.csv', 'rejects/ecom-*.csv', 'reports/cohorts.csv', 'reports/daily_by_location.csv']);
  });

  it('no cell starts like a formula unless it is a plain number or a phone in international format', () => {
    const offenders: string[] = [];
    for (const [file, list] of rows) {
      for (const row of list) {
        for (const [column, cell] of Object.entries(row)) {
          const phone = column === 'phone' && INTERNATIONAL_PHONE.test(cell);
          if (DANGEROUS.test(cell) && !PLAIN_NUMBER.test(cell) && !phone) offenders.push(`${file} ${column}: ${JSON.stringify(cell)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the export customer: formula text behind an apostrophe, phone and negative money as they are', () => {
    const eve = master().find((r) => r.email === 'eve@example.com')!;
    expect(eve).toMatchObject({
      ecom_customer_keys: "'=1+1",
      first_name: `'=HYPERLINK("http://evil.example","click")`,
      last_name: "'+cmd",
      company: "'@SUM(A1)",
      phone: '+1 415 555 0123',
      first_order_location: "'-2+3",
      first_order_source: "'=campaign",
    });
    const tab = master().find((r) => r.email === 'tab@example.com')!;
    expect(tab).toMatchObject({ first_name: "'=tab", last_name: "'@mention", first_order_location: "'@Shop", first_order_source: "'+source" });
    // A customer whose only order is a return: money given back, net negative, not a formula.
    const ret = master().find((r) => r.email === 'ret@example.com')!;
    expect(ret).toMatchObject({ last_name: "'-2+3", gross_revenue: '0.00', refunds: '12.50', net_revenue: '-12.50' });
  });

  it('the Lightspeed customer and outlets', () => {
    const buyer = master().find((r) => r.lightspeed_customer_ids.split(';').includes(lightspeedBuyer))!;
    expect(buyer).toMatchObject({
      first_name: `'=HYPERLINK("http://evil.example","click")`,
      last_name: "'+cmd",
      company: "'@SUM(A1)",
      phone: '+1 415 555 0188',
    });
    expect(buyer.first_order_location).toMatch(/^'-2\+3 /);
    const firstTime = rows.get('first_time_buyers.csv')!.find((r) => r.customer_id === buyer.customer_id)!;
    expect(firstTime).toMatchObject({ first_name: buyer.first_name, last_name: "'+cmd", phone: '+1 415 555 0188' });
    expect(firstTime.first_order_location).toMatch(/^'-2\+3 /);
    const outlets = new Set(rows.get('reports/daily_by_location.csv')!.map((r) => r.location));
    expect([...outlets].filter((l) => l.startsWith("'-2+3 ")).length).toBeGreaterThan(0);
    expect([...outlets].filter((l) => l.startsWith('-'))).toEqual([]);
  });

  it('the rejects: the raw row of a bad line keeps its text, made inert', () => {
    const [file] = csvFiles.filter((f) => f.startsWith('rejects/'));
    expect(rows.get(file)!.map((r) => [r.line, r.field, r.raw])).toEqual([['4', 'order_total', "'=BAD(),2025-06-22T10:00:00Z,K3,bad@example.com,Bad,Row,,,abc,USD,Web,"]]);
  });

  it('ca reads its own inert cells back as written (stats and look-ups see the real name)', async () => {
    const run = await runCa(['customer', 'eve@example.com', '--json', AS_OF], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('=HYPERLINK(\\"http://evil.example\\",\\"click\\")');
    expect(run.stdout).not.toContain("'=HYPERLINK");
  });
});
