import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../../src/core/stringIndex.js';

describe('StringIndex', () => {
  it('numbers keys in first-seen order and finds each again, through many doublings of its table', () => {
    const index = new StringIndex(4);
    const keys = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? `c-${i}` : i % 3 === 1 ? `+4420${i}` : `person${i}@example.com`));
    keys.forEach((key, i) => expect(index.add(key)).toBe(i));
    expect(index.size).toBe(keys.length);
    // Equal strings built another way (not the same string object) find the same slot.
    keys.forEach((key, i) => expect(index.find(key.split('').join(''))).toBe(i));
    expect(index.keys).toEqual(keys);
  });

  it('gives a key it holds its old slot, and -1 for one it does not', () => {
    const index = new StringIndex();
    expect(index.find('a')).toBe(-1);
    expect(index.add('a')).toBe(0);
    expect(index.add('b')).toBe(1);
    expect(index.add('a')).toBe(0);
    expect(index.size).toBe(2);
    expect(index.find('')).toBe(-1);
    expect(index.add('')).toBe(2);
    expect(index.find('')).toBe(2);
    // Keys that differ only where a weak hash would not look.
    expect(index.find('A')).toBe(-1);
    expect(index.find('ab')).toBe(-1);
  });

  it('keeps apart keys that probe past each other in a small table', () => {
    // 200 keys in a table of 32 places at first: keys meet at places taken before, on every doubling.
    const index = new StringIndex(16);
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    for (const key of keys) index.add(key);
    for (const [i, key] of keys.entries()) expect(index.find(key)).toBe(i);
    expect(index.find('k200')).toBe(-1);
  });
});
