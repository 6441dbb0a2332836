/**
 * Loads the run log (one JSON object a line) into `customer_analytics_runs` for one account. The log
 * only grows, so runs are added or updated, never deleted: history survives a rotated log. A line that
 * is not a JSON object with a run_id (a crash can leave a torn last line) is skipped with a warning.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { InputError } from '../io/errors.js';
import type { Logger } from '../io/log.js';
import { buildUpsert, maxRowsPerStatement, type UpsertSpec } from './buildUpsert.js';
import { RUN_COLUMNS, RUNS_TABLE } from './pgColumns.js';

type RunValue = string | null;

const RUN_UPSERT: UpsertSpec = {
  table: RUNS_TABLE,
  columns: RUN_COLUMNS,
  key: ['run_id'],
  returning: '1',
};

function asText(value: unknown): RunValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** ISO strings and epoch milliseconds are both accepted; anything else is stored as unknown. */
function asTime(value: unknown): RunValue {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const time = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

function asJson(value: unknown): RunValue {
  return value === undefined ? null : JSON.stringify(value);
}

function runIdOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** One run as the row's values, in RUN_COLUMNS order. */
function runValues(run: Record<string, unknown>, runId: string): RunValue[] {
  return [
    runId,
    asText(run.command),
    asTime(run.started_at),
    asTime(run.ended_at),
    asText(run.outcome),
    asText(run.error),
    asJson(run.counts),
    JSON.stringify(run),
  ];
}

export async function loadRunLog(
  client: pg.Client,
  account: string,
  logPath: string,
  batchSize: number,
  log: Logger,
): Promise<number> {
  // The log is small (a line per run); a later line about the same run replaces an earlier one.
  const runs = new Map<string, RunValue[]>();
  const input = createReadStream(logPath, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let run: unknown;
      try {
        run = JSON.parse(line);
      } catch {
        log.warn(`postgres: run log ${logPath} line ${lineNumber} is not JSON; skipped`);
        continue;
      }
      const fields = typeof run === 'object' && run !== null && !Array.isArray(run) ? (run as Record<string, unknown>) : {};
      const runId = runIdOf(fields.run_id);
      if (runId === null) {
        log.warn(`postgres: run log ${logPath} line ${lineNumber} has no run_id; skipped`);
        continue;
      }
      if (line.includes('\\u0000')) {
        log.warn(`postgres: run log ${logPath} line ${lineNumber} contains a NUL character; skipped`);
        continue;
      }
      runs.delete(runId);
      runs.set(runId, runValues(fields, runId));
    }
  } catch (error) {
    throw new InputError(`cannot read run log ${logPath} (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
  } finally {
    lines.close();
    input.destroy();
  }

  const all = [...runs.values()];
  const batchLimit = Math.min(batchSize, maxRowsPerStatement(RUN_UPSERT, 1));
  let written = 0;
  for (let start = 0; start < all.length; start += batchLimit) {
    const batch = all.slice(start, start + batchLimit);
    const result = await client.query(buildUpsert(RUN_UPSERT, batch.length), [account, ...batch.flat()]);
    written += result.rowCount ?? 0;
  }
  log.debug(`postgres: run log: ${all.length} runs, ${written} written`);
  return all.length;
}
