/**
 * Walk-in sales: the spec cannot say whether they carry no customer or a default "walk-in" customer
 * (NOT CONFIRMED), so both are handled. Such a default customer is recognised by its WALKIN code or
 * name (or listed in the settings, or named by the retailer's `default_customer_id` where present),
 * dropped from customers, and removed from the sales that point at it.
 */
import { text, type WireCustomer } from './wire.js';

const WALK_IN = /^walk[\s_-]?in(\s+customer)?$/i;

export function isWalkInCustomer(customer: WireCustomer): boolean {
  const code = text(customer.customer_code);
  if (code && WALK_IN.test(code)) return true;
  const name = text(customer.name) ?? [text(customer.first_name), text(customer.last_name)].filter(Boolean).join(' ');
  return name !== '' && WALK_IN.test(name);
}
