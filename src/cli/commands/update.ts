import type { Register } from './index.js';
import { updateStep } from '../../app/updateStep.js';
import { ConfigError } from '../../io/errors.js';

export const registerUpdate: Register = (program, wrap) =>
  program
    .command('update')
    .option('--days <n>', 're-read at least the last N days (lookback), even if the timestamp is newer', (v) => Number(v))
    .option('--full', 'start every source over and rebuild everything')
    .description('fetch what changed, import a pending export, compute, merge, then move .last_update_timestamp')
    .addHelpText(
      'after',
      '\nExamples:\n  ca update --days=14\n  ca update --full\n\nOnly one update runs at a time per data folder; the timestamp moves only when every step succeeded.',
    )
    .action(
      wrap(async (ctx, options) => {
        const opts = options as { days?: number; full?: boolean };
        if (opts.days !== undefined && !(Number.isFinite(opts.days) && opts.days > 0)) {
          throw new ConfigError('--days must be a positive number, e.g. --days=14');
        }
        const summary = await updateStep(ctx, { days: opts.days, full: Boolean(opts.full) });
        if (ctx.json) ctx.printJson(summary);
        else ctx.log.info(`update done: ${summary.merge.rows} customers in ${summary.merge.master}; timestamp ${summary.timestamp}`);
      }),
    );
