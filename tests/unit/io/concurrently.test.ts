/** forEachConcurrently: the limit holds, a failure waits for what started and skips what did not, and the error is the first item's. */
import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../src/io/concurrently.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('runs at most `concurrency` at once and every item once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < n % 3 + 1; i++) await tick();
      running--;
      done.push(n);
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('after a failure, waits for the started tasks, starts no new one, and throws the first item\'s error', async () => {
    const finished: string[] = [];
    const started: string[] = [];
    const run = forEachConcurrently(['a', 'b', 'c', 'd'], 2, async (name) => {
      started.push(name);
      if (name === 'b') throw new Error('b failed');
      for (let i = 0; i < 5; i++) await tick();
      if (name === 'a') throw new Error('a failed later');
      finished.push(name);
    });
    await expect(run).rejects.toThrow('a failed later');
    // b failed at once, c never started; a ran to its end (and failed) before the call returned.
    expect(started).toEqual(['a', 'b']);
    expect(finished).toEqual([]);
  });
});
