/** The canonical codes compute writes, in words for people. Unknown names are shown as they come. */
const LABELS: Record<string, string> = {
  in_store: 'In store',
  online: 'Online',
  appointment: 'Appointment',
  PROSPECT: 'Prospect',
  NEW: 'New',
  ACTIVE: 'Active',
  AT_RISK: 'At risk',
  LOST: 'Lost',
  VIP: 'VIP',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};

export function displayLabel(name: string): string {
  return Object.hasOwn(LABELS, name) ? LABELS[name] : name;
}
