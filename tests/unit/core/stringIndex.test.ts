import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../../src/core/stringIndex.js';

describe('StringIndex', () => {
  it('numbers keys in first-seen order and finds each again, through many doublings of its table', () => {
    const index = new StringIndex(4);
    const keys = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? `c-${i}` : i % 3 === 1 ? `+4420${i}` : `person${i}@example.com`));
    expect(keys.map((key) => index.add(key))).toEqual(keys.map((_, i) => i));
    expect(index.size).toBe(keys.length);
    // Equal strings built another way (not the same string object) find the same slot, as do their bytes.
    expect(keys.map((key) => index.find(key.split('').join('')))).toEqual(keys.map((_, i) => i));
    expect(keys.map((key) => index.findAscii(Buffer.from(`x${key}y`, 'latin1'), 1, key.length + 1))).toEqual(keys.map((_, i) => i));
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
    expect(index.findAscii(Buffer.from('ab'), 0, 1)).toBe(0);
    expect(index.findAscii(Buffer.from('ab'), 0, 2)).toBe(-1);
    expect(index.findAscii(Buffer.from('ab'), 1, 1)).toBe(2);
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
