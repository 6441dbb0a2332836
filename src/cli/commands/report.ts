import type { Register } from './command.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';
import { ConfigError } from '../../io/errors.js';
import { wholeNumber } from '../../app/context.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (not 2025-02-30). */
const isDate = (value: string) => DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

export const registerReport: Register = (program, wrap) => {
  const report = program.command('report').description('write or show reports (daily, cohorts, model, html)');
  report
    .command('daily')
    .option('--from <date>', 'first local day (YYYY-MM-DD)')
    .option('--to <date>', 'last local day (YYYY-MM-DD)')
    .description('write data/reports/daily_by_location.csv (and cohorts.csv) from the last compute; with --from/--to, a file of its own for that range')
    .addHelpText(
      'after',
      '\nExamples:\n  ca report daily\n  ca report daily --from 2025-06-01 --to 2025-06-30\n\n' +
        'With --from or --to the days in that range go to data/reports/daily_by_location_<from>_<to>.csv\n' +
        '(start or end for an open side); the nightly daily_by_location.csv and cohorts.csv are left as they are.',
    )
    .action(
      wrap(async (ctx, options) => {
        const { readComputed } = await import('../../io/computedFile.js');
        const { writeDailyRange, writeReports } = await import('../../app/mergeStep.js');
        const { from, to } = options as { from?: string; to?: string };
        for (const [name, value] of [['--from', from], ['--to', to]] as const) {
          if (value !== undefined && !isDate(value)) throw new ConfigError(`${name} must be a date like 2025-06-30, not ${value}`);
        }
        if (from !== undefined && to !== undefined && from > to) {
          throw new ConfigError(`--from ${from} is after --to ${to}`, { hint: 'give the earlier day as --from' });
        }
        const ranged = from !== undefined || to !== undefined;
        const written = await withWorkspaceLock(ctx, 'ca report daily', async () => {
          const computed = await readComputed(ctx.paths.computed);
          return ranged ? writeDailyRange(ctx, computed, { from, to }) : (await writeReports(ctx, computed))[0];
        });
        if (ctx.json) ctx.printJson({ daily: written });
        else ctx.log.info(`wrote ${written}`);
      }),
    );
  report
    .command('cohorts')
    .description('write data/reports/cohorts.csv: acquisition month x months since, active customers, retention, revenue')
    .addHelpText('after', '\nExample:\n  ca report cohorts')
    .action(
      wrap(async (ctx) => {
        const { readComputed } = await import('../../io/computedFile.js');
        const { writeReports } = await import('../../app/mergeStep.js');
        const [, cohorts] = await withWorkspaceLock(ctx, 'ca report cohorts', async () => writeReports(ctx, await readComputed(ctx.paths.computed)));
        if (ctx.json) ctx.printJson({ cohorts });
        else ctx.log.info(`wrote ${cohorts}`);
      }),
    );
  report
    .command('model')
    .option('--holdout-weeks <n>', 'length of the holdout period (default: clv.holdoutWeeks, 26)', wholeNumber('--holdout-weeks'))
    .description('which purchase model predicts and why, its parameters, and every candidate model’s predicted vs actual purchases in a holdout period')
    .addHelpText('after', '\nExample:\n  ca report model --holdout-weeks 39')
    .action(
      wrap(async (ctx, options) => {
        const { formatModelCheck, modelReportStep } = await import('../../app/modelReport.js');
        const weeks = (options as { holdoutWeeks?: number }).holdoutWeeks ?? ctx.config.clv.holdoutWeeks;
        if (!(weeks > 0)) throw new ConfigError('--holdout-weeks must be a positive number');
        const check = await modelReportStep(ctx, weeks);
        if (ctx.json) ctx.printJson(check);
        else ctx.print(formatModelCheck(check));
      }),
    );
  report
    .command('html')
    .option('--holdout-weeks <n>', 'holdout period of the model check chart (default: clv.holdoutWeeks, 26)', wholeNumber('--holdout-weeks'))
    .description('write data/reports/report.html: one self-contained page with charts, readable offline')
    .addHelpText(
      'after',
      '\nExample:\n  ca report html && xdg-open data/reports/report.html\n\n' +
        'The page is as of the data (the last compute, as the master): the month in progress, "this month" and\n' +
        'the model check follow that time, not the clock and not --as-of. `ca update` writes this page too.\n' +
        'The model check says in words when predicted and actual differ by more than clv.holdoutTolerance (0.2).',
    )
    .action(
      wrap(async (ctx, options) => {
        const { htmlReportStep } = await import('../../app/htmlReport.js');
        const holdoutWeeks = (options as { holdoutWeeks?: number }).holdoutWeeks ?? ctx.config.clv.holdoutWeeks;
        const path = await withWorkspaceLock(ctx, 'ca report html', () => htmlReportStep(ctx, holdoutWeeks));
        if (ctx.json) ctx.printJson({ report: path });
        else ctx.log.info(`wrote ${path}`);
      }),
    );
};
