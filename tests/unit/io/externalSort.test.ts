import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { byString, ExternalSorter } from '../../../src/io/externalSort.js';

const temp = await mkdtemp(join(tmpdir(), 'ca-sort-'));
afterAll(() => rm(temp, { recursive: true, force: true }));

interface Item {
  key: string;
  seq: number;
}

async function sortAll(items: Item[], budget: number) {
  const sorter = new ExternalSorter<Item>({ dir: temp, compare: (a, b) => byString(a.key, b.key), weigh: () => 1, budget });
  for (const item of items) await sorter.add(item);
  const runs = (await readdir(temp)).length > 0 ? (await readdir(join(temp, (await readdir(temp))[0]))).length : 0;
  const out: Item[] = [];
  for await (const item of sorter.sorted()) out.push(item);
  await sorter.dispose();
  return { out, runs };
}

describe('ExternalSorter', () => {
  // 1000 items over 7 keys; keys repeat so stability is visible in `seq`.
  const keys = ['delta', 'Alpha', 'alpha', 'b', 'é', 'a', 'Z'];
  const items = Array.from({ length: 1000 }, (_, seq) => ({ key: keys[(seq * 5) % 7], seq }));
  // Code-unit order: upper case before lower case, 'é' (U+00E9) last; equal keys in the order added.
  const expected = ['Alpha', 'Z', 'a', 'alpha', 'b', 'delta', 'é'].flatMap((key) => items.filter((i) => i.key === key));

  test.each([
    ['in memory', 10_000, 0],
    ['in 10 run files of 100', 100, 10],
    ['in 1000 run files of one', 1, 1000],
  ])('%s: sorted by code units, equal keys in the order added', async (_name, budget, runFiles) => {
    const { out, runs } = await sortAll(items, budget);
    expect(runs).toBe(runFiles);
    expect(out).toEqual(expected);
    expect(await readdir(temp)).toEqual([]);
  });

  test('text survives the run files unchanged (quotes, newlines, emoji, separators)', async () => {
    const odd = ['a"b', 'line\nbreak', '\u2028', '😀', 'x\\y', ''].map((key, seq) => ({ key, seq }));
    const { out } = await sortAll(odd, 1);
    expect(out.map((i) => i.key)).toEqual(['', 'a"b', 'line\nbreak', 'x\\y', '\u2028', '😀']);
  });

  test('a reader that stops early leaves no run files behind after dispose', async () => {
    const sorter = new ExternalSorter<Item>({ dir: temp, compare: (a, b) => byString(a.key, b.key), weigh: () => 1, budget: 3 });
    for (const item of items.slice(0, 20)) await sorter.add(item);
    for await (const item of sorter.sorted()) {
      expect(item.key).toBe('Alpha');
      break;
    }
    await sorter.dispose();
    expect(await readdir(temp)).toEqual([]);
  });
});
