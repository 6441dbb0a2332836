/**
 * Runs tasks at most `concurrency` at a time (p-limit) and waits for every one that started before it
 * settles: a failure stops tasks not yet started, but never leaves one running (and writing) after the
 * caller has returned and, say, let go of the workspace lock. The first failure is thrown.
 */
import pLimit from 'p-limit';

export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(Math.max(1, concurrency));
  let failure: { error: unknown } | undefined;
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (failure) return;
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
}
