/**
 * What the sources being fetched say while they run, readable when several run at once (`ca update`
 * fetches its sources concurrently). Every log line a source writes names that source; on a terminal
 * the sources share one progress line (`lightspeed: sales 400 | square: payments 300`), cleared before
 * any log line is written and drawn again after it, so no line is ever left half-written by another.
 * Off a terminal (cron, CI) there is no progress line, only the log lines.
 */
import type { Context } from './context.js';
import type { Logger } from '../io/log.js';

const boards = new WeakMap<Context, ProgressBoard>();

export class ProgressBoard {
  private readonly lines = new Map<string, string>();
  private shown = false;
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    readonly enabled: boolean,
  ) {}

  /** The board of a command (one per context): every source fetched by it draws on the same line. */
  static of(ctx: Context): ProgressBoard {
    let board = boards.get(ctx);
    if (!board) {
      board = new ProgressBoard(ctx.io.stderr, Boolean(ctx.io.stderr.isTTY) && !ctx.quiet && !ctx.json);
      boards.set(ctx, board);
    }
    return board;
  }

  /** Sets what `source` shows; redrawn at most every 100 ms. */
  set(source: string, text: string): void {
    if (!this.enabled) return;
    this.lines.set(source, text);
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.draw();
  }

  /** `source` is done: its part leaves the line. */
  remove(source: string): void {
    if (!this.enabled || !this.lines.delete(source)) return;
    if (this.lines.size === 0) this.clear();
    else this.draw();
  }

  /** A logger whose lines name `source` and never land in the middle of the progress line. */
  logger(source: string, base: Logger): Logger {
    const named = (message: string) => (message === source || message.startsWith(`${source}:`) || message.startsWith(`${source} `) ? message : `${source}: ${message}`);
    const around = (write: (message: string) => void) => (message: string) => {
      const redraw = this.shown;
      this.clear();
      write(named(message));
      if (redraw) this.draw();
    };
    return { info: around(base.info), warn: around(base.warn), debug: around(base.debug) };
  }

  private draw(): void {
    if (this.lines.size === 0) return;
    const text = [...this.lines].map(([source, line]) => `${source}: ${line}`).join(' | ');
    this.stream.write(`\r${text}\u001b[K`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}
