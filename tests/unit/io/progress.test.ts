/** The progress line (src/io/progress.ts) on a fake terminal: drawn in place, throttled, erased, silent when not a TTY. */
import { describe, expect, it } from 'vitest';
import { streamLogger } from '../../../src/io/log.js';
import { count, progress } from '../../../src/io/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('progress', () => {
  it('draws `label: text` in place on a terminal, at most once per interval, and a phase at once', () => {
    const stream = fakeStream(true);
    let t = 1000;
    const line = progress(stream, 'import ecom', { now: () => t, intervalMs: 100 });
    line.update('1 rows read');
    t += 50;
    line.update('2 rows read');
    t += 60;
    line.update('3 rows read');
    line.phase('writing orders');
    expect(stream.writes).toEqual(['\rimport ecom: 1 rows read\u001b[K', '\rimport ecom: 3 rows read\u001b[K', '\rimport ecom: writing orders\u001b[K']);
    line.done();
    expect(stream.writes.at(-1)).toBe('\r\u001b[K');
    line.done();
    expect(stream.writes).toHaveLength(4);
  });

  it('writes nothing when the stream is not a terminal, or with --quiet or --json', () => {
    for (const [stream, options] of [
      [fakeStream(false), {}],
      [fakeStream(true), { quiet: true }],
      [fakeStream(true), { json: true }],
    ] as const) {
      const line = progress(stream, 'compute', options);
      line.update('x');
      line.phase('y');
      line.done();
      expect(stream.writes).toEqual([]);
    }
  });

  it('a log line erases the progress line first; the next update draws it again at once', () => {
    const stream = fakeStream(true);
    let t = 0;
    const line = progress(stream, 'merge', { now: () => t });
    const log = streamLogger(stream as unknown as NodeJS.WritableStream);
    line.phase('writing the master');
    log.warn('something to say');
    t += 1;
    line.update('writing the workbooks');
    expect(stream.writes).toEqual([
      '\rmerge: writing the master\u001b[K',
      '\r\u001b[K',
      'warning: something to say\n',
      '\rmerge: writing the workbooks\u001b[K',
    ]);
  });

  it('groups digits of counts', () => {
    expect([count(0), count(999), count(1000), count(1234567)]).toEqual(['0', '999', '1 000', '1 234 567']);
  });
});
