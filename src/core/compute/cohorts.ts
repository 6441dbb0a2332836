/**
 * Cohorts part (cohorts.csv): customers by month of first purchase (UTC) and currency; per month since,
 * how many bought and their revenue.
 */
import { DAY_MS, monthLabel, sortPrefix } from './shared.js';
import type { Prepared } from './prepare.js';
import type { CohortRow } from './types.js';
import type { CustomerVisit } from './visit.js';

export class CohortsPart {
  // Keys: ((currency group + 1) * 100 000 + cohort month) * 1000 + months since; a currency group is
  // one currency, or one combination of several for customers who bought in more than one.
  private readonly groups = new Map<string, number>();
  private readonly labels: string[] = [];
  private readonly active = new Map<number, number>();
  private readonly revenue = new Map<number, number>();
  private readonly size = new Map<number, number>();

  constructor(private readonly p: Prepared) {}

  private groupOf(label: string | undefined): number {
    if (label === undefined) return -1;
    let group = this.groups.get(label);
    if (group === undefined) {
      group = this.labels.push(label) - 1;
      this.groups.set(label, group);
    }
    return group;
  }

  visit(v: CustomerVisit): void {
    if (v.count === 0) return;
    const { monthOfDay, firstDay } = this.p;
    const cohort = (this.groupOf(v.currencyLabel) + 1) * 100_000 + monthOfDay[Math.floor(v.first / DAY_MS) - firstDay];
    const month0 = cohort % 100_000;
    this.size.set(cohort, (this.size.get(cohort) ?? 0) + 1);
    for (let i = 0; i < v.monthCount; i++) {
      const key = cohort * 1000 + (v.months[i] - month0);
      this.revenue.set(key, (this.revenue.get(key) ?? 0) + v.monthAmounts[i]);
    }
    const months = sortPrefix(v.months, v.monthCount);
    for (let i = 0; i < v.monthCount; i++) {
      if (i > 0 && months[i] === months[i - 1]) continue;
      const key = cohort * 1000 + (months[i] - month0);
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
    }
  }

  rows(): CohortRow[] {
    return [...this.active.entries()]
      .map(([key, active]) => {
        const cohort = Math.floor(key / 1000);
        const currency = this.labels[Math.floor(cohort / 100_000) - 1] ?? '';
        return {
          cohort: monthLabel(cohort % 100_000),
          monthsSince: key % 1000,
          cohortSize: this.size.get(cohort) ?? 0,
          activeCustomers: active,
          revenueMinor: currency.includes(';') ? NaN : (this.revenue.get(key) ?? 0),
          currency,
        };
      })
      .sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : a.monthsSince - b.monthsSince || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)));
  }
}
