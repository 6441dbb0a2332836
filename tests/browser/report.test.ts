/**
 * The rendered report in a real browser: headless Chromium opens the file from disk, as a user would,
 * with nothing to fetch. Skipped only on a developer machine without Chromium; under CI it must run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, type ReportData } from '../../src/report/html.js';
import { HOSTILE_NAME, sampleReportData } from '../unit/report/sampleReportData.js';

// CHROMIUM_PATH only exists to try the skip and fail paths; CI uses the default.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const inCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const haveChromium = existsSync(CHROMIUM);
const skip = !haveChromium && !inCi;
if (skip) {
  console.warn(`tests/browser/report.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium). Under CI=true this fails instead.`);
}

const CHART_IDS = [
  'chart-new-customers',
  'chart-revenue-by-channel',
  'chart-segments',
  'chart-tiers',
  'chart-revenue-by-month',
  'chart-holdout',
];

interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  /** Every URL the page asked for besides its own file. */
  requests: string[];
}

async function open(browser: Browser, dir: string, name: string, data: ReportData): Promise<OpenedPage> {
  const file = join(dir, `${name}.html`);
  await writeFile(file, renderHtmlReport(data));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const opened: OpenedPage = { page, consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => opened.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) opened.requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

describe.skipIf(skip)(`report.html in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let dir: string;
  let full: OpenedPage;
  let empty: OpenedPage;
  // Tiers handed over alphabetically, as a plain sort of the names would give them.
  const sample = sampleReportData(1100);
  const data: ReportData = { ...sample, tiers: [...sample.tiers].sort((a, b) => (a.name < b.name ? -1 : 1)) };

  beforeAll(async () => {
    // Under CI a missing browser is a failure with a reason, not a skip.
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; CI must install chromium`).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'ca-report-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    full = await open(browser, dir, 'report', data);
    empty = await open(browser, dir, 'empty', {
      ...data,
      totals: { customers: 0, buyers: 0, repeatCustomers: 0, netRevenue: 0, averageLtv: 0, newThisMonth: 0 },
      newCustomersPerDay: [],
      revenueByChannel: [],
      revenueByMonthAndChannel: [],
      segments: [],
      tiers: [],
      cohorts: [],
      model: undefined,
      topCustomers: [],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('loads without console errors, page errors or any request', () => {
    for (const opened of [full, empty]) {
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
      expect(opened.requests).toEqual([]);
    }
  });

  it('draws marks in every chart', async () => {
    const marks = await full.page.evaluate((ids) => {
      const out: Record<string, number> = {};
      for (const id of ids) {
        const svg = document.getElementById(id);
        out[id] = svg === null ? -1 : svg.querySelectorAll('rect.mark, path.mark').length;
      }
      return { perChart: out, charts: document.querySelectorAll('svg.chart').length };
    }, CHART_IDS);
    expect(marks.charts).toBe(CHART_IDS.length);
    for (const id of CHART_IDS) expect(marks.perChart[id], id).toBeGreaterThan(0);
    // Drawn with a size, not just present in the markup.
    for (const id of CHART_IDS) {
      const box = await full.page.locator(`#${id}`).boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(200);
      expect(box?.height ?? 0, id).toBeGreaterThan(50);
    }
  });

  it('shades one heatmap cell per cohort row', async () => {
    const cells = await full.page.locator('table.heatmap td.hm').count();
    expect(cells).toBe(data.cohorts.length);
    const background = await full.page.locator('table.heatmap td.hm').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('shows the hostile customer name as visible text and runs nothing from it', async () => {
    const cell = full.page.locator('td.name', { hasText: HOSTILE_NAME });
    await expect(cell.count()).resolves.toBe(1);
    expect(await cell.isVisible()).toBe(true);
    expect(await cell.textContent()).toBe(HOSTILE_NAME);
    const dom = await full.page.evaluate(() => ({
      scripts: document.scripts.length,
      images: document.images.length,
      handlers: document.querySelectorAll('[onerror], [onmouseover], [onclick]').length,
    }));
    expect(dom).toEqual({ scripts: 1, images: 0, handlers: 0 });
    expect(full.dialogs).toEqual([]);
  });

  it('reads out the day under the pointer', async () => {
    const box = await full.page.locator('#chart-new-customers').boundingBox();
    if (box === null) throw new Error('chart not laid out');
    await full.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    const tip = full.page.locator('#tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/^\d{4}-\d{2}-\d{2} · \d+ new · 7-day avg \d+(\.\d)?$/);
    await full.page.mouse.move(1, 1);
    expect(await tip.isVisible()).toBe(false);
    expect(full.dialogs).toEqual([]);
    expect(full.pageErrors).toEqual([]);
  });

  it('follows the dark colour scheme and prints on white', async () => {
    const background = () => full.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await full.page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await full.page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(dark).not.toBe(light);
    await full.page.emulateMedia({ colorScheme: 'dark', media: 'print' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await full.page.emulateMedia({ colorScheme: 'light', media: 'screen' });
  });

  it('says "no data" in every section of an empty report', async () => {
    expect(await empty.page.locator('svg.chart').count()).toBe(0);
    expect(await empty.page.locator('.empty').count()).toBe(8);
    for (const text of ['No new customers in this period.', 'No revenue recorded yet.', 'No model fitted', 'No buyers yet.']) {
      expect(await empty.page.getByText(text).first().isVisible(), text).toBe(true);
    }
  });

  it('shows the value tiers top to bottom as VIP, High, Medium, Low', async () => {
    expect(data.tiers.map((t) => t.name)).toEqual(['HIGH', 'LOW', 'MEDIUM', 'VIP']);
    const labels = await full.page.locator('#chart-tiers text.bar-label').evaluateAll((els) =>
      els.map((el) => ({ text: el.textContent, top: el.getBoundingClientRect().top })).sort((a, b) => a.top - b.top).map((l) => l.text),
    );
    expect(labels).toEqual(['VIP', 'High', 'Medium', 'Low']);
  });

  it('marks the month in progress (as of 30 Jun 2025, 12:00) in the monthly chart and the cohorts', async () => {
    const column = full.page.locator('#chart-revenue-by-month g.partial-month');
    await expect(column.count()).resolves.toBe(1);
    expect(await column.getAttribute('data-month')).toBe('2025-06');
    // Drawn pale inside a dashed frame, with a visible label: not a collapse.
    const opacity = (selector: string) => full.page.locator(selector).first().evaluate((el) => getComputedStyle(el).fillOpacity);
    expect(await opacity('#chart-revenue-by-month g.partial-month rect.mark')).toBe('0.4');
    expect(await opacity('#chart-revenue-by-month g.month:not(.partial-month) rect.mark')).toBe('1');
    expect(await full.page.locator('#chart-revenue-by-month .partial-frame').evaluate((el) => getComputedStyle(el).strokeDasharray)).not.toBe('none');
    const label = full.page.locator('#chart-revenue-by-month text.partial-label');
    expect(await label.isVisible()).toBe(true);
    expect(await label.textContent()).toBe('partial month');
    expect(await full.page.locator('#revenue-partial').isVisible()).toBe(true);
    expect(await full.page.locator('#revenue-partial').textContent()).toContain('Jun 2025 is the month in progress: the data run to 30 Jun 2025, 12:00 UTC');
    // Every cohort has a cell in June 2025 (the last diagonal): each outlined, and only those.
    const cohorts = new Set(data.cohorts.map((c) => c.cohort)).size;
    const cells = full.page.locator('table.heatmap td.hm-partial');
    expect(await cells.count()).toBe(cohorts);
    expect(await cells.first().evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('dashed');
    expect(await full.page.locator('table.heatmap td.hm:not(.hm-partial)').first().evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none');
    expect(await full.page.locator('#cohorts-partial').isVisible()).toBe(true);
  });

  it('shows how the channel bars add up to the net revenue tile, each part named', async () => {
    const money = (text: string | null) => Number((text ?? '').replace(/[^0-9.-]/g, ''));
    const bars = await full.page.locator('#chart-revenue-by-channel text.bar-value').allTextContents();
    const bridge = full.page.locator('#revenue-bridge');
    expect(await bridge.isVisible()).toBe(true);
    const rows = await bridge.locator('tr').evaluateAll((trs) =>
      trs.map((tr) => ({ part: tr.getAttribute('data-part'), label: tr.querySelector('th')?.textContent, amount: tr.querySelector('td')?.textContent ?? '' })),
    );
    expect(rows.map((r) => r.part)).toEqual(['net-revenue', 'refunds', 'walk-ins', 'bars']);
    expect(rows.find((r) => r.part === 'walk-ins')!.label).toBe('+ Walk-in and guest sales (no customer)');
    const amount = (part: string) => money(rows.find((r) => r.part === part)!.amount);
    // What people read: the bars' amounts add up to the total, and the parts (tile first) to the same total.
    const barsTotal = bars.reduce((sum, text) => sum + money(text), 0);
    expect(barsTotal).toBeCloseTo(amount('bars'), 2);
    expect(amount('net-revenue') + amount('refunds') + amount('walk-ins')).toBeCloseTo(amount('bars'), 2);
    const tile = full.page.locator('.kpi').filter({ has: full.page.locator('.kpi-label', { hasText: /^Net revenue$/ }) });
    expect(await tile.getAttribute('title')).toBe(`Net revenue: ${rows[0].amount}`);
    expect(money(await tile.locator('.kpi-value').textContent())).toBe(Math.round(amount('net-revenue')));
  });

  it('says in words next to the model chart whether predicted and actual agree', async () => {
    const verdict = full.page.locator('#model-verdict');
    expect(await verdict.isVisible()).toBe(true);
    expect(await verdict.textContent()).toMatch(/^Predicted and actual agree within 20%: the model predicted [\d,]+ purchases in the holdout period and [\d,]+ happened/);
    const chart = await full.page.locator('#chart-holdout').boundingBox();
    const words = await verdict.boundingBox();
    // Beside the chart (to its right, level with it), not somewhere else on the page.
    expect(words!.x).toBeGreaterThan(chart!.x + chart!.width - 1);
    expect(words!.y).toBeLessThan(chart!.y + chart!.height);
  });

  it('takes a full-page screenshot for people to look at', async () => {
    // Kept after the run (CI can upload it); the rest of the temp folder is removed.
    const png = await full.page.screenshot({ fullPage: true, path: join(tmpdir(), 'ca-report-screenshot.png') });
    expect(png.byteLength).toBeGreaterThan(10_000);
  });
});
