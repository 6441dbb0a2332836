/**
 * Sorting more items than fit in memory: items are buffered up to a byte budget, each full buffer is
 * sorted and written to a run file (one JSON text a line), and the runs are merged back with a heap.
 * Equal items keep the order they were added in (a stable sort per run; runs merged earliest first).
 *
 * The run files live in a folder named `.sort.tmp-PID` under the given directory, removed by `dispose`
 * (or, after a crash, by the stale-temp sweep of the next `ca update`).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { crashPoint } from './crashPoint.js';

export interface SortOptions<T> {
  /** Where the folder of run files goes (the data's own disk: runs together are as large as the input). */
  dir: string;
  compare: (a: T, b: T) => number;
  /** About how many bytes an item holds in memory (default 256). */
  weigh?: (item: T) => number;
  /** Bytes of items kept before a run is written (default 64 MB). */
  budget?: number;
  encode?: (item: T) => string;
  decode?: (text: string) => T;
}

let sorters = 0;
/** Run files open at once while merging (file descriptors are limited, often to 1024). */
const MAX_OPEN_RUNS = 64;

export class ExternalSorter<T> {
  private buffer: T[] = [];
  private weight = 0;
  private runs: string[] = [];
  private written = 0;
  private readonly folder: string;
  private readonly budget: number;
  private readonly weigh: (item: T) => number;
  private readonly encode: (item: T) => string;
  private readonly decode: (text: string) => T;

  constructor(private readonly options: SortOptions<T>) {
    this.folder = join(options.dir, `.sort-${++sorters}.tmp-${process.pid}`);
    this.budget = options.budget ?? 64 * 1024 * 1024;
    this.weigh = options.weigh ?? (() => 256);
    this.encode = options.encode ?? ((item) => JSON.stringify(item));
    this.decode = options.decode ?? ((text) => JSON.parse(text) as T);
  }

  async add(item: T): Promise<void> {
    this.buffer.push(item);
    this.weight += this.weigh(item);
    if (this.weight >= this.budget) await this.spill();
  }

  private async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    this.buffer.sort(this.options.compare);
    await this.writeRun(this.buffer);
    this.buffer = [];
    this.weight = 0;
    crashPoint('spill');
  }

  private async writeRun(items: Iterable<T> | AsyncIterable<T>): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const path = join(this.folder, `run-${this.written++}`);
    const out = createWriteStream(path);
    let chunk = '';
    for await (const item of items) {
      chunk += this.encode(item) + '\n';
      if (chunk.length > 1 << 20) {
        await write(out, chunk);
        chunk = '';
      }
    }
    await write(out, chunk);
    out.end();
    await once(out, 'finish');
    this.runs.push(path);
  }

  /** Every item added, in order. Call once, after the last `add`. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      const items = this.buffer.sort(this.options.compare);
      this.buffer = [];
      yield* items;
      return;
    }
    await this.spill();
    // Merging reads every run at once: past MAX_OPEN_RUNS, the oldest runs are first merged into one.
    while (this.runs.length > MAX_OPEN_RUNS) {
      const oldest = this.runs.splice(0, MAX_OPEN_RUNS);
      const rest = this.runs;
      this.runs = [];
      await this.writeRun(mergeRuns(oldest.map((path) => readRun(path, this.decode)), this.options.compare));
      this.runs.push(...rest);
      await Promise.all(oldest.map((path) => rm(path)));
    }
    yield* mergeRuns(
      this.runs.map((path) => readRun(path, this.decode)),
      this.options.compare,
    );
  }

  async dispose(): Promise<void> {
    this.buffer = [];
    await rm(this.folder, { recursive: true, force: true });
  }
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (text !== '' && !out.write(text)) await once(out, 'drain');
}

async function* readRun<T>(path: string, decode: (text: string) => T): AsyncGenerator<T> {
  // Up to MAX_OPEN_RUNS of these are read at once, each holding a chunk of lines: keep chunks small.
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 64 * 1024 }), crlfDelay: Infinity });
  for await (const line of lines) yield decode(line);
}

interface Head<T> {
  item: T;
  run: number;
}

/** k-way merge; on equal items the earlier run goes first, which keeps the sort stable. */
async function* mergeRuns<T>(runs: AsyncGenerator<T>[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const before = (a: Head<T>, b: Head<T>) => {
    const c = compare(a.item, b.item);
    return c < 0 || (c === 0 && a.run < b.run);
  };
  const heap: Head<T>[] = [];
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) return;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const left = 2 * i + 1;
      let least = i;
      if (left < heap.length && before(heap[left], heap[least])) least = left;
      if (left + 1 < heap.length && before(heap[left + 1], heap[least])) least = left + 1;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  };
  try {
    for (let run = 0; run < runs.length; run++) {
      const next = await runs[run].next();
      if (next.done) continue;
      heap.push({ item: next.value, run });
      siftUp(heap.length - 1);
    }
    while (heap.length > 0) {
      const top = heap[0];
      yield top.item;
      const next = await runs[top.run].next();
      if (!next.done) heap[0] = { item: next.value, run: top.run };
      else {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      siftDown(0);
    }
  } finally {
    // A reader that stopped early leaves runs open; close their files.
    await Promise.all(runs.map((run) => run.return(undefined)));
  }
}

/** Compares strings by UTF-16 code units, the order the store keeps ids in. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
