/**
 * Runs tasks at most `concurrency` at a time (p-limit) and waits for every one that started before it
 * settles: a failure stops tasks not yet started, but never leaves one running (and writing) after the
 * caller has returned and, say, let go of the workspace lock. When several fail, the error thrown is
 * that of the first item in `items` order (not the first in time), so the outcome does not depend on
 * which answered first.
 */
import pLimit from 'p-limit';

export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(Math.max(1, concurrency));
  const failures: { index: number; error: unknown }[] = [];
  await Promise.all(
    items.map((item, index) =>
      limit(async () => {
        if (failures.length > 0) return;
        try {
          await work(item);
        } catch (error) {
          failures.push({ index, error });
        }
      }),
    ),
  );
  if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
}
