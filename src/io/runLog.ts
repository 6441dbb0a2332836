/** data/runs.ndjson: one JSON line per `ca update` (start, end, outcome, counts, error). */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redact } from './redact.js';

export interface RunRecord {
  run_id: string;
  command: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  outcome: 'success' | 'failed';
  error: string | null;
  counts: Record<string, unknown>;
}

export async function appendRun(path: string, run: RunRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Glued onto the torn line of a run killed mid-append, this record would be unreadable too.
  const separator = (await endsMidLine(path)) ? '\n' : '';
  await appendFile(path, separator + redact(JSON.stringify(run)) + '\n');
}

async function endsMidLine(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

/** The runs in the log, oldest first; damaged lines (a crash mid-write) are skipped. */
export async function readRuns(path: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      runs.push(JSON.parse(line) as RunRecord);
    } catch {
      // A torn last line from a killed run.
    }
  }
  return runs;
}
