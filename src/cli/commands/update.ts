import type { Register } from './command.js';
import { updateStep } from '../../app/updateStep.js';
import { wholeNumber } from '../../app/context.js';

export const registerUpdate: Register = (program, wrap) =>
  program
    .command('update')
    .option('--days <n>', "also re-read Square's last N days: payments and refunds updated, customers updated, bookings starting then (Lightspeed needs no look-back)", wholeNumber('--days', 1, 36500, 14))
    .option('--full', 'start every source over and rebuild everything')
    .description('fetch what changed, import a pending export, compute, merge, write data/reports/report.html, then move .last_update_timestamp')
    .addHelpText(
      'after',
      '\nExamples:\n  ca update --days=14\n  ca update --full\n  ca --workspace /srv/shops/north update --days=14\n\n' +
        'Every stream goes on from where the last run stored its last page, so a killed run resumes there.\n' +
        "Lightspeed's version cursors see every change and deletion: --days does not restart them. Square is\n" +
        'read by time: --days=N re-reads payments and refunds by updated_at, customers by updated_at and\n' +
        'bookings by start time over the last N days (bookings are re-scanned 90 days back on every run by default).\n' +
        'One command writes to a workspace at a time (--wait=SECONDS to wait for it); the timestamp moves only\n' +
        'when every step succeeded. When a fetch or the import set rows aside (data/rejects/), one warning line\n' +
        'says how many and where.',
    )
    .action(
      wrap(async (ctx, options) => {
        const opts = options as { days?: number; full?: boolean };
        const summary = await updateStep(ctx, { days: opts.days, full: Boolean(opts.full) });
        if (ctx.json) ctx.printJson(summary);
        else ctx.log.info(`update done: ${summary.merge.rows} customers in ${summary.merge.master}; report ${summary.report}; timestamp ${summary.timestamp}`);
      }),
    );
