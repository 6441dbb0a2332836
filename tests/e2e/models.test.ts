/**
 * Issue 13 end to end: a shop with a year of history whose customers have not started to drop out (as a
 * young shop's data look). BG/NBD runs to a → 0 there; `ca compute` must predict with the NBD it converges
 * to and say so, in its output, the meta file and `ca report model`, instead of leaving the columns empty.
 * The export is simulated (seeded) from an NBD population, r 0.83, α 69 days, as in the issue.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, simulateNbd } from '../../src/core/clv/index.js';
import { readCsv, removeDir, runCa, tempDir } from '../helpers/cli.js';

const DAY = 86_400_000;
const AS_OF = '2025-06-30T12:00:00Z';
const asOfDay = Math.floor(Date.parse(AS_OF) / DAY);
let dir: string;
let computeRun: { code: number; stdout: string; stderr: string };
let master: Record<string, string>[];
let masterText: string;
let metaModel: unknown;

/** 1,500 customers, first purchase on a day in the year before the as-of day, at noon; one purchase a day at most. */
function exportCsv(): string {
  const rng = createRandom(21);
  const n = 1500;
  const firstDay = Int32Array.from({ length: n }, () => asOfDay - 1 - Math.floor(rng.uniform() * 364));
  const T = Float64Array.from(firstDay, (d) => (asOfDay - d) / 7);
  const sim = simulateNbd({ r: 0.83, alpha: 69 / 7 }, T, { seed: 22, recordPurchases: true });
  const rows: string[][] = [['order_id', 'ordered_at', 'customer_id', 'email', 'order_total', 'status', 'currency']];
  // Spend per purchase Gamma(6, ν), ν ~ Gamma(4, 150) per customer (Gamma-Gamma's own assumptions).
  const nu = Float64Array.from({ length: n }, () => rng.gamma(4, 150));
  const days = new Set<string>();
  const customers = sim.purchaseCustomer as Int32Array;
  const times = sim.purchaseTime as Float64Array;
  for (let k = 0; k < customers.length; k++) {
    const i = customers[k];
    const day = firstDay[i] + Math.floor(times[k] * 7);
    if (day >= asOfDay || days.has(`${i}|${day}`)) continue;
    days.add(`${i}|${day}`);
    const total = rng.gamma(6, nu[i]).toFixed(2);
    rows.push([`O-${k}`, new Date(day * DAY + DAY / 2).toISOString(), `C${i}`, `c${i}@example.com`, total, 'completed', 'USD']);
  }
  return stringify(rows);
}

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'orders.csv'), exportCsv());
  await writeFile(join(dir, 'ca.config.json'), JSON.stringify({ defaultRegion: 'US' }));
  const imported = await runCa(['import', 'ecom', 'orders.csv', '--mapping', 'generic'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  computeRun = await runCa(['compute', `--as-of=${AS_OF}`], { cwd: dir });
  expect(computeRun.code, computeRun.stderr).toBe(0);
  const merge = await runCa(['merge', `--as-of=${AS_OF}`], { cwd: dir });
  expect(merge.code, merge.stderr).toBe(0);
  master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
  masterText = await readFile(join(dir, 'data', 'customer_analytics_master.csv'), 'utf8');
  metaModel = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8')).model;
});

afterAll(async () => {
  await removeDir(dir);
});

describe('a shop whose data show no drop-out yet', () => {
  it('`ca compute` says it predicts with the NBD limit, and why', () => {
    // Whichever model the holdout check prefers, its fit on the whole history runs to the no-drop-out limit.
    expect(computeRun.stderr).toMatch(/purchase model: NBD \(limit of (BG|MBG)\/NBD\), chosen by the holdout check/);
    expect(computeRun.stderr).toMatch(/(BG|MBG)\/NBD ran to (a|s|beta) → (0|∞)[^;]*: no drop-out in the data; it converges to the NBD there: p_alive is 1 for every buyer/);
    expect(computeRun.stderr).not.toMatch(/no purchase model/);
  });

  it('the meta file records the model, the limit and the choice', async () => {
    const meta = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8'));
    expect(meta.model).toMatchObject({ setting: 'auto', model: 'nbd', period_days: 7 });
    expect(meta.model.label).toMatch(/^NBD \(limit of (BG|MBG)\/NBD\)$/);
    expect(meta.model.limit).toMatch(/no drop-out in the data/);
    expect(Object.keys(meta.model.params)).toEqual(['r', 'alpha']);
    expect(meta.model.choice.rule).toBe('holdout');
    expect(meta.model.choice.candidates.map((c: { family: string }) => c.family)).toEqual(['bgnbd', 'mbgnbd']);
  });

  it('fills the prediction columns with the limit formulas: P(alive) = 1, E[purchases] = (r + x) t/(α + T)', async () => {
    const meta = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8'));
    const { r, alpha } = meta.model.params;
    const horizon = (12 * 365.25) / 12 / 7; // clv.horizonMonths in weeks
    expect(master.length).toBe(1500);
    for (const row of master) {
      expect(Number(row.p_alive)).toBe(1);
      // One purchase a day at most, so x = orders − 1; T in weeks from the first purchase day to the as-of day.
      const x = Number(row.orders_count) - 1;
      const T = (asOfDay - Math.floor(Date.parse(row.first_order_at) / DAY)) / 7;
      expect(Math.abs(Number(row.expected_orders_12m) - ((r + x) * horizon) / (alpha + T))).toBeLessThan(1e-4);
      expect(row.predicted_clv_12m).not.toBe('');
    }
  });

  it('`ca report model` shows the model, why, and the holdout table of every candidate', async () => {
    const text = await runCa(['report', 'model', `--as-of=${AS_OF}`, '--holdout-weeks', '13'], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^purchase model: NBD \(limit of (BG|MBG)\/NBD\) \(period 7 days, 1500 buyers, \d+ repeat\): r [\d.]+, alpha [\d.]+$/m);
    expect(text.stdout).toMatch(/chosen by the holdout check below \(clv.model "auto"\): closest to what \d+ customers bought/);
    expect(text.stdout).toMatch(/holdout check: calibration to 2025-03-31T12:00:00.000Z, 13 weeks of holdout/);
    expect(text.stdout).toMatch(/repeat purchases in calibration +customers +actual \(mean\) +BG\/NBD +MBG\/NBD/);
    expect(text.stdout).not.toMatch(/Pareto/);
    const json = await runCa(['report', 'model', `--as-of=${AS_OF}`, '--holdout-weeks', '13', '--json'], { cwd: dir });
    const check = JSON.parse(json.stdout);
    expect(check.fitted.model).toBe('nbd');
    expect(check.holdout.length).toBeGreaterThan(3);
    expect(check.holdout.reduce((s: number, g: { customers: number }) => s + g.customers, 0)).toBeGreaterThan(1000);
    for (const g of check.holdout) expect(Object.keys(g.meanPredicted).sort()).toEqual(['bgnbd', 'mbgnbd']);
  });
});

describe('the calibration fits on a second thread (as for a shop of 20,000 buyers or more)', () => {
  it('give the same model and the same master, digit for digit', async () => {
    // 1,500 buyers fit on one thread by default; CA_PARALLEL_FITS=always takes the large-shop path.
    const run = await runCa(['compute', `--as-of=${AS_OF}`, '--verbose'], { cwd: dir, env: { CA_PARALLEL_FITS: 'always' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/models: the calibration fits of bgnbd and mbgnbd on two threads/);
    expect(run.stderr).not.toMatch(/second thread failed/);
    const merge = await runCa(['merge', `--as-of=${AS_OF}`], { cwd: dir });
    expect(merge.code, merge.stderr).toBe(0);
    expect(await readFile(join(dir, 'data', 'customer_analytics_master.csv'), 'utf8')).toBe(masterText);
    expect(JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8')).model).toEqual(metaModel);
  });
});
