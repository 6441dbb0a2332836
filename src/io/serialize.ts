/**
 * One at a time per key, in call order: writes of one file from concurrent tasks of this process (two
 * sources fetched at once, Square's locations listed at once) queue behind each other instead of
 * interleaving a read-modify-write or an append.
 */
const tails = new Map<string, Promise<unknown>>();

export function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const result = previous.then(work, work);
  const tail = result.catch(() => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return result;
}
