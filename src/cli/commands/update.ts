import type { Register } from './command.js';
import { wholeNumber } from '../../app/context.js';
import { ConfigError } from '../../io/errors.js';

interface UpdateFlags {
  days?: number;
  full?: boolean;
  workspaces?: string;
  workspacesFile?: string;
  parallel?: number;
}

export const registerUpdate: Register = (program, wrap) =>
  program
    .command('update')
    .option('--days <n>', "also re-read Square's last N days: payments and refunds updated, customers updated, bookings starting then (Lightspeed needs no look-back)", wholeNumber('--days', 1, 36500, 14))
    .option('--full', 'start every source over and rebuild everything')
    .option('--workspaces <glob>', "update every folder the glob matches, each as its own workspace with its own ca.env (e.g. 'shops/*'; quote it)")
    .option('--workspaces-file <file>', 'update every folder listed in the file (one a line, relative to the file; # comments)')
    .option('--parallel <n>', 'with --workspaces or --workspaces-file: workspaces updated at the same time (default 2)', wholeNumber('--parallel', 1, Number.MAX_SAFE_INTEGER, 2))
    .description('fetch what changed, import a pending export, compute, merge, write data/reports/report.html, then move .last_update_timestamp')
    .addHelpText(
      'after',
      "\nExamples:\n  ca update --days=14\n  ca update --full\n  ca --workspace /srv/shops/north update --days=14\n  ca update --workspaces '/srv/shops/*' --parallel 3 --days=14\n\n" +
        'Every stream goes on from where the last run stored its last page, so a killed run resumes there.\n' +
        'The sources are fetched at the same time (each has its own rate limit), and Square\'s locations too\n' +
        '(square.locationConcurrency, default 4).\n' +
        "Lightspeed's version cursors see every change and deletion: --days does not restart them. Square is\n" +
        'read by time: --days=N re-reads payments and refunds by updated_at, customers by updated_at and\n' +
        'bookings by start time over the last N days (bookings are re-scanned 90 days back on every run by default).\n' +
        'One command writes to a workspace at a time (--wait=SECONDS to wait for it); the timestamp moves only\n' +
        'when every step succeeded. When a fetch or the import set rows aside (data/rejects/), one warning line\n' +
        'says how many and where.\n\n' +
        'Many shops: --workspaces or --workspaces-file runs `ca --workspace DIR update` for each folder as a\n' +
        'process of its own, --parallel at a time, with the tokens of that folder\'s ca.env only (vendor\n' +
        'variables of this environment are not passed on). Each takes its own lock and writes its own run log;\n' +
        "one shop's failure stops no other. At the end a table (workspace, outcome, customers, duration) goes\n" +
        'to stdout (--json: an array); the exit code is 0 when all succeeded, else that of the first failed one.',
    )
    .action(
      wrap(async (ctx, options) => {
        const { exitCodeOf, formatSummary, updateMany } = await import('../../app/updateMany.js');
        const { updateStep } = await import('../../app/updateStep.js');
        const opts = options as UpdateFlags;
        const many = opts.workspaces !== undefined || opts.workspacesFile !== undefined;
        if (!many) {
          if (opts.parallel !== undefined) throw new ConfigError('--parallel needs --workspaces or --workspaces-file');
          const summary = await updateStep(ctx, { days: opts.days, full: Boolean(opts.full) });
          if (ctx.json) ctx.printJson(summary);
          else ctx.log.info(`update done: ${summary.merge.rows} customers in ${summary.merge.master}; report ${summary.report}; timestamp ${summary.timestamp}`);
          return;
        }
        const globals = ctx.globalOptions;
        if (globals.workspace !== undefined || globals.dataDir !== undefined || globals.config !== undefined) {
          throw new ConfigError('--workspaces and --workspaces-file name the workspaces: they do not go with --workspace, --data-dir or --config', {
            hint: "each workspace's settings are its own ca.config.json, its tokens its own ca.env",
          });
        }
        const parallel = opts.parallel ?? 2;
        const updateArgs = [...(opts.days !== undefined ? [`--days=${opts.days}`] : []), ...(opts.full ? ['--full'] : [])];
        const globalArgs = [
          ...(globals.asOf !== undefined ? [`--as-of=${globals.asOf}`] : []),
          ...(globals.wait !== undefined ? [`--wait=${globals.wait}`] : []),
          ...(globals.verbose ? ['--verbose'] : []),
          ...(globals.quiet ? ['--quiet'] : []),
        ];
        const outcomes = await updateMany(ctx, { glob: opts.workspaces, listFile: opts.workspacesFile, parallel, updateArgs, globalArgs });
        if (ctx.json) ctx.printJson(outcomes);
        else ctx.print(formatSummary(outcomes));
        return exitCodeOf(outcomes);
      }),
    );
