#!/usr/bin/env node
// The purchase models at chain scale: simulate 1,000,000 BG/NBD customers from known parameters (seeded),
// turn their purchases into transactions, summarize them (day buckets, weeks), compress to patterns, fit
// BG/NBD and print the time, the parameters and their relative errors; fit MBG/NBD, Pareto/NBD and NBD on
// the same data and time the `clv.model: auto` choice. Then time summarizeColumns on 10,000,000 unsorted
// transactions.
//
// Usage: npx tsc -p tsconfig.json && node bench/clv-fit.mjs [--customers N] [--transactions N] [--dist DIR]
// (--dist points at another compiled copy of src/, e.g. when the whole project does not build.)

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    transactions: { type: 'string', default: '10000000' },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
  },
});
const clv = await import(pathToFileURL(resolve(values.dist, 'core/clv/index.js')).href);

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const customers = Number(values.customers);
const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const calibrationEnd = Date.UTC(2024, 11, 31);
const calibrationEndDay = Math.floor(calibrationEnd / DAY);
const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(2);

console.log(`BG/NBD benchmark: ${customers.toLocaleString('en')} customers, truth ${JSON.stringify(truth)} (weeks)`);

// Cohorts: first purchases spread over the two years before the calibration end. The simulated window is
// the summary's T (first purchase day to calibration end day, whole days), so what remains between truth
// and data is only what day buckets do: t_x floored to a day, same-day purchases merged.
let t0 = performance.now();
const rng = clv.createRandom(20240101);
const firstPurchase = new Float64Array(customers);
const observed = new Float64Array(customers);
for (let i = 0; i < customers; i++) {
  const day = calibrationEndDay - Math.floor(rng.uniform() * 730);
  firstPurchase[i] = day * DAY;
  observed[i] = (calibrationEndDay - day) / 7;
}
const sim = clv.simulateBgNbd(truth, observed, { seed: 7, recordPurchases: true });
const rows = sim.purchaseCustomer.length;
const time = new Float64Array(rows);
for (let k = 0; k < rows; k++) time[k] = firstPurchase[sim.purchaseCustomer[k]] + sim.purchaseTime[k] * WEEK;
const amount = new Float64Array(rows).fill(2500);
console.log(`simulate: ${seconds(t0)} s, ${rows.toLocaleString('en')} transactions`);

function report(label, history) {
  let t = performance.now();
  const patterns = clv.compressPatterns(history);
  const compressSeconds = seconds(t);
  t = performance.now();
  const fit = clv.fitBgNbd(patterns);
  console.log(
    `${label}: compress ${compressSeconds} s (${patterns.weight.length.toLocaleString('en')} distinct (x, t_x, T) patterns), fit ${seconds(t)} s`,
  );
  if (!fit.ok) {
    console.log(`  fit failed: ${fit.reason}`);
    process.exitCode = 1;
    return undefined;
  }
  const se = clv.bgnbdStandardErrors(fit.params, patterns);
  console.log(`  iterations ${fit.iterations}, log-likelihood ${fit.logLikelihood.toFixed(3)}`);
  for (const name of ['r', 'alpha', 'a', 'b']) {
    const est = fit.params[name];
    const rel = (est - truth[name]) / truth[name];
    console.log(
      `  ${name.padEnd(5)} true ${String(truth[name]).padEnd(4)} fitted ${est.toFixed(5)}  relative error ${(100 * rel).toFixed(2).padStart(6)} %` +
        (se ? `  (s.e. ${se[name].toFixed(5)}, ${((est - truth[name]) / se[name]).toFixed(1)} s.e.)` : ''),
    );
  }
  return fit;
}

// A: the model check. The simulated histories with t_x rounded to whole days (what makes patterns shareable).
const roundedRecency = sim.recency.map((t, i) => Math.min(Math.round(t * 7) / 7, observed[i]));
report('A. simulated histories, t_x to the day', { frequency: sim.frequency, recency: roundedRecency, T: observed });

// B: the pipeline. Transactions → summarizeColumns → fit. Day buckets merge same-day purchases (about 2 % of
// repeat purchases here, mostly by the fastest buyers), which the continuous-time model does not know about,
// so α comes out a few per cent high: a property of the day convention, not of the fitter.
t0 = performance.now();
const summary = clv.summarizeColumns(sim.purchaseCustomer, time, amount, {
  calibrationEnd,
  periodDays: 7,
  customerCount: customers,
});
console.log(`B. summarizeColumns: ${seconds(t0)} s`);
const fit = report('B. summarized transactions', {
  frequency: summary.frequency,
  recency: summary.recency,
  T: summary.T,
  include: summary.present,
});
if (fit) {
  t0 = performance.now();
  const clvValues = clv.predictClv(
    { name: 'bgnbd', params: fit.params },
    { p: 6.25, q: 3.74, gamma: 15.44 },
    { frequency: summary.frequency, recency: summary.recency, T: summary.T, monetaryValue: summary.monetaryValue },
    { periodsPerMonth: clv.periodsPerMonth(7), months: 12 },
  );
  const defined = clvValues.filter((v) => v !== undefined).length;
  console.log(`predictClv, 12 months, all customers: ${seconds(t0)} s (${defined.toLocaleString('en')} finite)`);
}

// C: the other purchase models on the same summaries, and the `clv.model: auto` choice as `ca compute`
// makes it (every model fitted on the purchases before a 26-week holdout, the closest to the holdout
// refitted on the whole history). Times are wall clock and CPU (the machine may be shared).
const cpuSeconds = (c0) => {
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) / 1e6).toFixed(2);
};
const history = { frequency: summary.frequency, recency: summary.recency, T: summary.T, include: summary.present };
for (const [label, fitModel] of [
  ['MBG/NBD', clv.fitMbgNbd],
  ['Pareto/NBD', clv.fitParetoNbd],
  ['NBD', clv.fitNbd],
]) {
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const other = fitModel(history);
  const params = other.ok ? Object.entries(other.params).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : other.reason;
  console.log(`C. ${label}: fit ${seconds(t0)} s (CPU ${cpuSeconds(c0)} s), log-likelihood ${other.ok ? other.logLikelihood.toFixed(3) : '-'}: ${params}`);
}
t0 = performance.now();
let c0 = process.cpuUsage();
const calibrated = clv.summarizeColumns(sim.purchaseCustomer, time, undefined, {
  calibrationEnd: calibrationEnd - 26 * WEEK,
  holdoutEnd: calibrationEnd,
  periodDays: 7,
  customerCount: customers,
});
const choice = clv.chooseModel(
  history,
  {
    frequency: calibrated.frequency,
    recency: calibrated.recency,
    T: calibrated.T,
    holdoutFrequency: calibrated.holdoutFrequency,
    holdoutDuration: calibrated.holdoutDuration,
    include: calibrated.present,
  },
  { setting: 'auto' },
);
console.log(
  `D. clv.model auto (26-week holdout): ${seconds(t0)} s (CPU ${cpuSeconds(c0)} s), chose ${choice.fit.ok ? clv.MODEL_LABELS[choice.fit.model.name] : 'none'}: ${choice.reason}`,
);

// Summarize throughput on unsorted transactions.
const n = Number(values.transactions);
const txRng = clv.createRandom(99);
const customer = new Int32Array(n);
const txTime = new Float64Array(n);
const txAmount = new Float64Array(n);
const start = Date.UTC(2023, 0, 1);
for (let i = 0; i < n; i++) {
  customer[i] = Math.floor(txRng.uniform() * customers);
  txTime[i] = start + Math.floor(txRng.uniform() * 730 * DAY);
  txAmount[i] = 100 + Math.floor(txRng.uniform() * 10_000);
}
t0 = performance.now();
const big = clv.summarizeColumns(customer, txTime, txAmount, { calibrationEnd, periodDays: 7, customerCount: customers });
let present = 0;
for (let i = 0; i < customers; i++) present += big.present[i];
console.log(`summarizeColumns on ${n.toLocaleString('en')} unsorted transactions: ${seconds(t0)} s (${present.toLocaleString('en')} customers)`);
