/**
 * Colour classes for marks. Data never becomes a class name: a name maps to one of these fixed
 * classes, whose colours live in the stylesheet (one set per colour scheme).
 */
const SEGMENT_CLASSES: Record<string, string> = {
  PROSPECT: 'seg-prospect',
  NEW: 'seg-new',
  ACTIVE: 'seg-active',
  AT_RISK: 'seg-at-risk',
  LOST: 'seg-lost',
};

const TIER_CLASSES: Record<string, string> = {
  VIP: 'tier-0',
  HIGH: 'tier-1',
  MEDIUM: 'tier-2',
  LOW: 'tier-3',
};

/** Number of categorical colours `c0`…`c5` in the stylesheet. */
export const CATEGORY_COLOURS = 6;

export function categoryClass(index: number): string {
  return `c${index % CATEGORY_COLOURS}`;
}

export function segmentClass(name: string): string {
  return Object.hasOwn(SEGMENT_CLASSES, name) ? SEGMENT_CLASSES[name] : 'seg-other';
}

export function tierClass(name: string, index: number): string {
  return Object.hasOwn(TIER_CLASSES, name) ? TIER_CLASSES[name] : categoryClass(index);
}
