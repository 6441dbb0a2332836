/** What a command module is: it registers itself on the program, its actions wrapped by main. */
import type { Command } from 'commander';
import type { Context } from '../../app/context.js';

/** A command's work, given the context main built from the global options. Returns the exit code (default 0). */
export type Action = (ctx: Context, ...args: unknown[]) => Promise<number | void>;
export type Wrap = (action: Action) => (...args: unknown[]) => Promise<void>;
export type Register = (program: Command, wrap: Wrap) => void;
