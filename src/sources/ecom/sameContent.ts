/** Whether two versions of a record say the same thing (their `version` aside). */
export function sameContent<T extends { version: number }>(a: T, b: T | undefined): boolean {
  if (!b) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('version');
  for (const key of keys) {
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}
