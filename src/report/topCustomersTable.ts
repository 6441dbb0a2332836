import { displayLabel } from './displayLabel.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatMoney } from './formatters.js';
import { emptyState } from './svgParts.js';
import { segmentClass } from './palette.js';

export interface TopCustomer {
  name: string;
  email: string;
  netRevenue: number;
  orders: number;
  segment: string;
}

export function topCustomersTable(customers: readonly TopCustomer[], currency: string): string {
  if (customers.length === 0) return emptyState('No buyers yet.');
  const rows = customers.map((c, i) => {
    const name = c.name.trim() === '' ? '<span class="muted">(no name)</span>' : escapeHtml(c.name);
    const segment = c.segment === '' ? '' : `<span class="badge ${segmentClass(c.segment)}">${escapeHtml(displayLabel(c.segment))}</span>`;
    return (
      `<tr><td class="num rank">${i + 1}</td><td class="name">${name}</td><td class="email">${escapeHtml(c.email)}</td>` +
      `<td>${segment}</td><td class="num">${formatCount(c.orders)}</td><td class="num">${escapeHtml(formatMoney(c.netRevenue, currency))}</td></tr>`
    );
  });
  return (
    '<div class="table-scroll"><table class="top-customers">' +
    `<caption class="sr-only">Top ${customers.length} customers by net revenue</caption>` +
    '<thead><tr><th scope="col" class="num">#</th><th scope="col">Customer</th><th scope="col">Email</th>' +
    `<th scope="col">Segment</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Net revenue (${escapeHtml(currency)})</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}
