/**
 * Sources fetched at once share one progress line on a terminal: a log line never lands in the middle
 * of it (the line is cleared first and drawn again after), every log line names its source, and off a
 * terminal nothing but the log lines is written.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressBoard } from '../../../src/app/progressBoard.js';
import { streamLogger } from '../../../src/io/log.js';
import { progress } from '../../../src/io/progress.js';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => (writes.push(text), true), isTTY } as unknown as NodeJS.WritableStream };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('ProgressBoard', () => {
  it('on a terminal: one line for every source, cleared around each log line, which names its source', () => {
    const { writes, stream } = sink(true);
    const board = new ProgressBoard(progress(stream, ''));
    const log = streamLogger(stream);
    board.set('lightspeed', 'sales 200');
    vi.setSystemTime(1_000_200);
    board.set('square', 'payments 100');
    board.logger('square', log).warn('GET /v2/payments: 429; retry 1 in 500 ms');
    board.logger('lightspeed', log).info('lightspeed: outlets +3 ~0 -0');
    board.remove('lightspeed');
    board.remove('square');
    expect(writes.join('')).toBe(
      '\rlightspeed: sales 200\u001b[K' +
        '\rlightspeed: sales 200 | square: payments 100\u001b[K' +
        '\r\u001b[K' + 'warning: square: GET /v2/payments: 429; retry 1 in 500 ms\n' + '\rlightspeed: sales 200 | square: payments 100\u001b[K' +
        '\r\u001b[K' + 'lightspeed: outlets +3 ~0 -0\n' + '\rlightspeed: sales 200 | square: payments 100\u001b[K' +
        '\rsquare: payments 100\u001b[K' +
        '\r\u001b[K',
    );
    // Every log line starts right after a cleared line: never after half a progress line.
    for (const line of writes.join('').split('\n').slice(0, -1)) expect(line).toMatch(/\r\u001b\[K(warning: )?(square|lightspeed): [^\r]*$/);
  });

  it('redraws at most every 100 ms', () => {
    const { writes, stream } = sink(true);
    const board = new ProgressBoard(progress(stream, ''));
    board.set('square', 'payments 100');
    vi.setSystemTime(1_000_050);
    board.set('square', 'payments 200');
    expect(writes).toEqual(['\rsquare: payments 100\u001b[K']);
  });

  it('off a terminal: the log lines only, each naming its source', () => {
    const { writes, stream } = sink(false);
    const board = new ProgressBoard(progress(stream, ''));
    board.set('square', 'payments 100');
    board.logger('square', streamLogger(stream)).warn('customer 7: NOT_FOUND');
    board.remove('square');
    expect(writes).toEqual(['warning: square: customer 7: NOT_FOUND\n']);
  });
});
