/**
 * One progress line on a terminal, for every step that can take more than a few seconds (fetch, import,
 * compute, merge, export): `label: text` (the text alone for an empty label), rewritten in place (`\r` … erase to end of line) at most every
 * 100 ms, and erased when the step ends so the step's own summary line stands alone. Nothing at all when
 * stderr is not a terminal (cron, CI, a pipe, a file), with `--quiet`, or with `--json`.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** `--quiet` or `--json`: no progress. */
  quiet?: boolean;
  json?: boolean;
  /** Least time between two redraws (ms); a phase change (`phase`) always draws. */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** A counter's new text (`12 400 rows`); drawn if the last draw is old enough. */
  update(text: string): void;
  /** A new phase (`fitting the purchase models`): drawn at once. */
  phase(text: string): void;
  /** Erases the line, if anything was drawn. Safe to call twice. */
  done(): void;
}

const SILENT: Progress = { update() {}, phase() {}, done() {} };

/** The progress line drawn on each stream, so a log line can erase it first (it is redrawn next update). */
const drawnOn = new WeakMap<object, () => void>();

/** Erases a progress line drawn on `stream`, if any: called before every log line written there. */
export function clearProgress(stream: object): void {
  drawnOn.get(stream)?.();
}

export function progress(stream: ProgressStream, label: string, options: ProgressOptions = {}): Progress {
  if (!stream.isTTY || options.quiet || options.json) return SILENT;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  let text = '';
  const erase = () => {
    if (drawn) stream.write('\r\u001b[K');
    drawn = false;
    last = -Infinity;
    if (drawnOn.get(stream) === erase) drawnOn.delete(stream);
  };
  const draw = () => {
    last = now();
    drawn = true;
    drawnOn.set(stream, erase);
    stream.write(`\r${label === '' ? '' : `${label}: `}${text}\u001b[K`);
  };
  return {
    update(next) {
      text = next;
      if (now() - last >= interval) draw();
    },
    phase(next) {
      text = next;
      draw();
    },
    done: erase,
  };
}

/** `1234567` as `1 234 567`: counts read at a glance on a changing line. */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
