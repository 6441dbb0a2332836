/**
 * What the sources being fetched say while they run, readable when several run at once (`ca update`
 * fetches its sources concurrently). Every log line a source writes names that source; on a terminal
 * the sources share one progress line (`lightspeed: sales 400 | square: payments 300`), drawn by
 * src/io/progress.ts like every other step's: the logger erases it before any log line, and the board
 * draws it again after a line of its sources, so no line is ever left half-written by another.
 * Off a terminal (cron, CI) there is no progress line, only the log lines.
 */
import type { Context } from './context.js';
import type { Logger } from '../io/log.js';
import { progress, type Progress } from '../io/progress.js';

const boards = new WeakMap<Context, ProgressBoard>();

export class ProgressBoard {
  private readonly lines = new Map<string, string>();

  constructor(private readonly line: Progress) {}

  /** The board of a command (one per context): every source fetched by it draws on the same line. */
  static of(ctx: Context): ProgressBoard {
    let board = boards.get(ctx);
    if (!board) {
      board = new ProgressBoard(progress(ctx.io.stderr, '', ctx));
      boards.set(ctx, board);
    }
    return board;
  }

  /** Sets what `source` shows; redrawn at most every 100 ms. */
  set(source: string, text: string): void {
    this.lines.set(source, text);
    this.line.update(this.text());
  }

  /** `source` is done: its part leaves the line. */
  remove(source: string): void {
    if (!this.lines.delete(source)) return;
    if (this.lines.size === 0) this.line.done();
    else this.line.phase(this.text());
  }

  /** A logger whose lines name `source`; the progress line is drawn again after each. */
  logger(source: string, base: Logger): Logger {
    const named = (message: string) => (message === source || message.startsWith(`${source}:`) || message.startsWith(`${source} `) ? message : `${source}: ${message}`);
    const around = (write: (message: string) => void) => (message: string) => {
      write(named(message));
      if (this.lines.size > 0) this.line.phase(this.text());
    };
    return { info: around(base.info), warn: around(base.warn), debug: around(base.debug) };
  }

  private text(): string {
    return [...this.lines].map(([source, line]) => `${source}: ${line}`).join(' | ');
  }
}
