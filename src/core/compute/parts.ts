/**
 * The parts of compute and the master columns each fills; together they fill every master column
 * exactly once (tests/unit/core/computeParts.test.ts holds them to MASTER_COLUMNS).
 */
import { PREDICTION_COLUMNS } from '../clv/predictionColumns.js';
import { BOOKING_COLUMNS } from './bookingMetrics.js';
import { CONTACT_COLUMNS } from './contactColumns.js';
import { ORDER_COLUMNS } from './orderMetrics.js';
import { SEGMENT_COLUMNS } from './segmentColumns.js';

export interface ComputePart {
  name: string;
  /** Where it is written. */
  module: string;
  columns: readonly string[];
}

export const COMPUTE_PARTS: readonly ComputePart[] = [
  { name: 'contact', module: 'src/core/compute/contactColumns.ts', columns: CONTACT_COLUMNS },
  { name: 'order metrics', module: 'src/core/compute/orderMetrics.ts', columns: ORDER_COLUMNS },
  { name: 'booking metrics', module: 'src/core/compute/bookingMetrics.ts', columns: BOOKING_COLUMNS },
  { name: 'segments', module: 'src/core/compute/segmentColumns.ts', columns: SEGMENT_COLUMNS },
  { name: 'predictions', module: 'src/core/clv/predictionColumns.ts', columns: PREDICTION_COLUMNS },
];
