import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CustomerRecord, OrderRecord } from '../../../src/core/model.js';
import { loadMapping, type EcomMapping, type ImportSummary } from '../../../src/sources/ecom/index.js';
import { fixture, listing, removeWorkdirs, workdir } from './helpers.js';

afterAll(removeWorkdirs);

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

type Expected = {
  name: string;
  file: () => Promise<string>;
  mapping: () => Promise<EcomMapping>;
  summary: Omit<ImportSummary, 'file' | 'rejectsFile' | 'ordersWritten' | 'customersWritten'>;
  orders: Omit<OrderRecord, 'source' | 'version' | 'channel'>[];
  customers: Omit<CustomerRecord, 'source' | 'version'>[];
};

const sale = { kind: 'sale', status: 'completed' } as const;

const cases: Expected[] = [
  {
    name: 'order-level, comma, ISO dates (with and without offsets), a guest, a cancellation, a return, yen',
    file: async () => fixture('orders-comma-iso.csv'),
    mapping: async () => ({ ...(await loadMapping('generic')), time_zone: 'America/New_York' }),
    summary: {
      rowsRead: 5, ordersTaken: 5, linesGrouped: 0, rowsRejected: 0, guestOrders: 1, cancelledOrders: 1, returns: 1,
      customers: 3, lineLevel: false, dialect: { delimiter: ',', decimal: '.', encoding: 'utf-8' },
    },
    orders: [
      { id: '1001', ...sale, customerId: 'C1', orderedAt: Date.UTC(2025, 2, 1, 10, 15), amountMinor: 2550, currency: 'USD', locationId: 'Web', campaign: 'newsletter' },
      // 09:00 in New York on 2 March is EST (-05:00).
      { id: '1002', ...sale, orderedAt: Date.UTC(2025, 2, 2, 14, 0), amountMinor: 1200, currency: 'USD', locationId: 'Web' },
      { id: '1003', kind: 'sale', status: 'cancelled', customerId: 'C2', orderedAt: Date.UTC(2025, 2, 3, 10, 0), amountMinor: 120000, currency: 'USD', locationId: 'Web', campaign: 'google' },
      { id: '1004', kind: 'return', status: 'completed', customerId: 'C1', orderedAt: Date.UTC(2025, 2, 4, 8, 30), amountMinor: -525, currency: 'USD', locationId: 'Web' },
      { id: '1005', ...sale, customerId: 'C3', orderedAt: Date.UTC(2025, 2, 5), amountMinor: 1500, currency: 'JPY', locationId: 'Tokyo' },
    ],
    customers: [
      // Names and e-mail from the latest order (1004); the phone from 1001, as 1004 has none.
      { id: 'C1', createdAt: Date.UTC(2025, 2, 1, 10, 15), firstName: 'Ann', lastName: 'Lee-Park', email: 'ann.lee@example.com', phone: '+14155550101' },
      { id: 'C2', createdAt: Date.UTC(2025, 2, 3, 10, 0), firstName: 'Bob', lastName: 'Ray', email: 'bob@example.com', phone: '(415) 555-0102' },
      { id: 'C3', createdAt: Date.UTC(2025, 2, 5), firstName: 'Cy', lastName: 'Young' },
    ],
  },
  {
    name: 'Lightspeed preset: BOM, CRLF, semicolons, decimal commas, DD-MM-YYYY HH:mm in Amsterdam',
    file: async () => fixture('orders-semicolon-decimal-comma.csv'),
    mapping: () => loadMapping('lightspeed-ecom'),
    summary: {
      rowsRead: 4, ordersTaken: 4, linesGrouped: 0, rowsRejected: 0, guestOrders: 1, cancelledOrders: 1, returns: 1,
      customers: 2, lineLevel: false, dialect: { delimiter: ';', decimal: ',', encoding: 'utf-8' },
    },
    orders: [
      // CET (+01:00) in January and November, CEST (+02:00) from 30 March 02:00.
      { id: 'ORD-1', ...sale, customerId: '501', orderedAt: Date.UTC(2025, 0, 5, 13, 30), amountMinor: 123456, currency: 'EUR', locationId: 'Webshop' },
      { id: 'ORD-2', ...sale, orderedAt: Date.UTC(2025, 2, 30, 1, 15), amountMinor: 1995, currency: 'EUR', locationId: 'Webshop' },
      { id: 'ORD-3', kind: 'return', status: 'completed', customerId: '502', orderedAt: Date.UTC(2025, 6, 15, 21, 45), amountMinor: -1000, currency: 'EUR', locationId: 'Webshop' },
      { id: 'ORD-4', kind: 'sale', status: 'cancelled', customerId: '501', orderedAt: Date.UTC(2025, 10, 1, 8, 0), amountMinor: 99, currency: 'EUR', locationId: 'Webshop' },
    ],
    customers: [
      { id: '501', createdAt: Date.UTC(2025, 0, 5, 13, 30), firstName: 'Eva', lastName: 'Vries', email: 'eva@example.nl', phone: '0612345678' },
      { id: '502', createdAt: Date.UTC(2025, 6, 15, 21, 45), firstName: 'Jan', lastName: 'Jansen; Jr.', email: 'jan@example.nl' },
    ],
  },
  {
    name: 'line-level, tabs, M/D/YYYY H:mm in Los Angeles, a quoted line break, a line that comes back later',
    file: async () => fixture('lines-tab.csv'),
    mapping: () => loadMapping(fixture('lines-tab.mapping.json')),
    summary: {
      rowsRead: 6, ordersTaken: 4, linesGrouped: 2, rowsRejected: 0, guestOrders: 1, cancelledOrders: 0, returns: 1,
      customers: 2, lineLevel: true, dialect: { delimiter: '\t', decimal: '.', encoding: 'utf-8' },
    },
    orders: [
      // 2 x 7.50 + 1 x 4.25 + 4 x 1.10 = 23.65; PDT (-07:00) in June, PST (-08:00) on 31 December.
      { id: 'A-1', ...sale, customerId: 'K1', orderedAt: Date.UTC(2025, 5, 2, 16, 5), amountMinor: 2365, currency: 'USD' },
      // 3 x 0.333 = 0.999, rounded to 1.00.
      { id: 'A-2', ...sale, orderedAt: Date.UTC(2025, 5, 4, 0, 40), amountMinor: 100, currency: 'USD' },
      { id: 'A-3', ...sale, customerId: 'K2', orderedAt: Date.UTC(2025, 5, 4, 15, 0), amountMinor: 2000, currency: 'USD' },
      { id: 'A-4', kind: 'return', status: 'completed', customerId: 'K2', orderedAt: Date.UTC(2026, 0, 1, 7, 59), amountMinor: -2000, currency: 'USD' },
    ],
    customers: [
      { id: 'K1', createdAt: Date.UTC(2025, 5, 2, 16, 5), firstName: 'Kim', lastName: 'Park', email: 'kim@example.com' },
      { id: 'K2', createdAt: Date.UTC(2025, 5, 4, 15, 0), firstName: 'Max', lastName: 'Moe', email: 'max@example.com' },
    ],
  },
  {
    name: 'Windows-1252 with "encoding": "windows-1252" (ë, ü, ç, Œ, € signs in amounts), Paris time',
    file: async () => fixture('windows-1252.csv'),
    mapping: () => loadMapping(fixture('windows-1252.mapping.json')),
    summary: {
      rowsRead: 2, ordersTaken: 2, linesGrouped: 0, rowsRejected: 0, guestOrders: 0, cancelledOrders: 0, returns: 0,
      customers: 2, lineLevel: false, dialect: { delimiter: ';', decimal: ',', encoding: 'windows-1252' },
    },
    orders: [
      { id: 'W1', ...sale, customerId: 'Z1', orderedAt: Date.UTC(2025, 1, 1, 9, 0), amountMinor: 1250, currency: 'EUR' },
      { id: 'W2', ...sale, customerId: 'Z2', orderedAt: Date.UTC(2025, 1, 2, 10, 30), amountMinor: 100000, currency: 'EUR' },
    ],
    customers: [
      { id: 'Z1', createdAt: Date.UTC(2025, 1, 1, 9, 0), firstName: 'Zoë', lastName: 'Müller' },
      { id: 'Z2', createdAt: Date.UTC(2025, 1, 2, 10, 30), firstName: 'François', lastName: 'Œuvre' },
    ],
  },
  {
    name: 'UTF-16LE with a byte-order mark (Excel "Unicode text"), tabs',
    file: async () => {
      const w = await workdir();
      const path = join(w.dir, 'unicode.txt');
      await writeFile(path, Buffer.from('\uFEFForder_id\tordered_at\torder_total\tcurrency\r\nU1\t2025-05-01T10:00:00Z\t12.34\tGBP\r\n', 'utf16le'));
      return path;
    },
    mapping: () => loadMapping('generic'),
    summary: {
      rowsRead: 1, ordersTaken: 1, linesGrouped: 0, rowsRejected: 0, guestOrders: 1, cancelledOrders: 0, returns: 0,
      customers: 0, lineLevel: false, dialect: { delimiter: '\t', decimal: '.', encoding: 'utf-16le' },
    },
    orders: [{ id: 'U1', ...sale, orderedAt: Date.UTC(2025, 4, 1, 10, 0), amountMinor: 1234, currency: 'GBP' }],
    customers: [],
  },
];

describe('importEcom reads every dialect', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const w = await workdir();
    const file = await c.file();
    const summary = await w.run(file, await c.mapping(), NOW);

    expect(summary).toEqual({
      file,
      ...c.summary,
      ordersWritten: c.orders.length,
      customersWritten: c.customers.length,
    });
    // Every row is accounted for.
    expect(summary.rowsRead).toBe(summary.ordersTaken + summary.linesGrouped + summary.rowsRejected);

    const byId = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await w.store.readAll('ecom', 'orders')).toEqual(
      byId(c.orders.map((o) => ({ source: 'ecom', version: NOW, channel: 'online', ...o }))),
    );
    expect(await w.store.readAll('ecom', 'customers')).toEqual(byId(c.customers.map((x) => ({ source: 'ecom', version: NOW, ...x }))));

    // The original is kept byte for byte; nothing was rejected, so there is no rejects file.
    expect((await readFile(join(w.dataDir, 'ecom_orders_export.csv'))).equals(await readFile(file))).toBe(true);
    expect(await listing(join(w.dataDir, 'rejects'))).toEqual([]);
    expect(await listing(w.dataDir)).toEqual(['cache', 'ecom_orders_export.csv']);
  });

  test('location names become the source location dimension, in the mapping time zone', async () => {
    const w = await workdir();
    await w.run(fixture('orders-semicolon-decimal-comma.csv'), await loadMapping('lightspeed-ecom'), NOW);
    expect(await w.store.readDimensions('ecom', 'locations')).toEqual([{ id: 'Webshop', name: 'Webshop', timeZone: 'Europe/Amsterdam' }]);
  });

  test('a missing optional column that changes the numbers is a warning', async () => {
    const w = await workdir();
    await w.run(fixture('bad-rows.csv'), await loadMapping('generic'), NOW);
    expect(w.messages).toContain(
      `warn: ${fixture('bad-rows.csv')}:1: column "status" or "Status" or "Order status" (status) is not in the header; status is left empty`,
    );
  });
});
