import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Register } from './command.js';
import { ConfigError } from '../../io/errors.js';
import { wholeNumber } from '../../app/context.js';
import { count, progress } from '../../io/progress.js';
import { registerSecret } from '../../io/redact.js';

const exists = (path: string) => access(path).then(() => true, () => false);

export const registerExport: Register = (program, wrap) => {
  const exportCommand = program.command('export').description('load the results into other systems');
  exportCommand
    .command('postgres')
    .option('--url <url>', 'postgres://user:password@host:5432/db (default: $DATABASE_URL; prefer the variable: it keeps the password out of shell history)')
    .option('--account <name>', 'which shop or organization these rows belong to, so several can share one database', 'default')
    .option('--batch-size <n>', 'rows per INSERT', wholeNumber('--batch-size'))
    .description('create or migrate the customer_analytics table and upsert the master in one transaction; mark customers that left; load the daily report view and the run history')
    .addHelpText('after', '\nExample:\n  DATABASE_URL=postgres://analytics@db/analytics ca export postgres --account=shop-nl\n\nSee docs/postgres.md for the tables and the view.')
    .action(
      wrap(async (ctx, options) => {
        const { exportToPostgres } = await import('../../export/postgres.js');
        const opts = options as { url?: string; account: string; batchSize?: number };
        const url = opts.url ?? ctx.io.env.DATABASE_URL;
        if (!url) throw new ConfigError('no database: pass --url or set DATABASE_URL');
        try {
          registerSecret(decodeURIComponent(new URL(url).password));
        } catch {
          // Not a URL (a libpq keyword string): the export reports it.
        }
        const daily = join(ctx.paths.reports, 'daily_by_location.csv');
        const line = progress(ctx.io.stderr, 'export postgres', ctx);
        const summary = await exportToPostgres({
          onPhase: (text) => line.phase(text),
          onRows: (rows) => line.update(`upserting customers: ${count(rows)} written`),
          url,
          account: opts.account,
          masterPath: ctx.paths.master,
          dailyReportPath: (await exists(daily)) ? daily : undefined,
          runLogPath: (await exists(ctx.paths.runLog)) ? ctx.paths.runLog : undefined,
          batchSize: opts.batchSize,
          log: ctx.log,
        }).finally(line.done);
        if (ctx.json) ctx.printJson(summary);
        else {
          ctx.log.info(
            `postgres (${opts.account}): ${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.markedRemoved} marked removed; ${summary.dailyRows} daily rows, ${summary.runs} runs`,
          );
        }
      }),
    );
};
