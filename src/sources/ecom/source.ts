/**
 * The e-commerce order export as a source: its registry entry (src/sources/registry.ts). It has no API
 * and no streams: `ca import ecom` (and `ca update` with `ecom.file`) brings it in.
 */
import type { ImportSourceDefinition } from '../sourceDefinition.js';

export const ecom: ImportSourceDefinition<'ecom'> = {
  kind: 'import',
  name: 'ecom',
  label: 'e-commerce order export',
  listColumn: 'ecom_customer_keys',
};
