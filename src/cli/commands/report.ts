import type { Register } from './command.js';
import { readComputed } from '../../io/computedFile.js';
import { writeReports } from '../../app/mergeStep.js';
import { formatModelCheck, modelReportStep } from '../../app/modelReport.js';
import { htmlReportStep } from '../../app/htmlReport.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';
import { ConfigError } from '../../io/errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const registerReport: Register = (program, wrap) => {
  const report = program.command('report').description('write or show reports (daily, cohorts, model, html)');
  report
    .command('daily')
    .option('--from <date>', 'first local day (YYYY-MM-DD)')
    .option('--to <date>', 'last local day (YYYY-MM-DD)')
    .description('write data/reports/daily_by_location.csv (and cohorts.csv) from the last compute')
    .addHelpText('after', '\nExample:\n  ca report daily --from 2025-06-01 --to 2025-06-30')
    .action(
      wrap(async (ctx, options) => {
        const { from, to } = options as { from?: string; to?: string };
        for (const [name, value] of [['--from', from], ['--to', to]] as const) {
          if (value !== undefined && !DATE.test(value)) throw new ConfigError(`${name} must be a date like 2025-06-30, not ${value}`);
        }
        const [daily] = await withWorkspaceLock(ctx, 'ca report daily', async () => writeReports(ctx, await readComputed(ctx.paths.computed), { from, to }));
        if (ctx.json) ctx.printJson({ daily });
        else ctx.log.info(`wrote ${daily}`);
      }),
    );
  report
    .command('cohorts')
    .description('write data/reports/cohorts.csv: acquisition month x months since, active customers, retention, revenue')
    .addHelpText('after', '\nExample:\n  ca report cohorts')
    .action(
      wrap(async (ctx) => {
        const [, cohorts] = await withWorkspaceLock(ctx, 'ca report cohorts', async () => writeReports(ctx, await readComputed(ctx.paths.computed)));
        if (ctx.json) ctx.printJson({ cohorts });
        else ctx.log.info(`wrote ${cohorts}`);
      }),
    );
  report
    .command('model')
    .option('--holdout-weeks <n>', 'length of the holdout period (default: clv.holdoutWeeks, 26)', (v) => Number(v))
    .description('which purchase model predicts and why, its parameters, and every candidate model’s predicted vs actual purchases in a holdout period')
    .addHelpText('after', '\nExample:\n  ca report model --holdout-weeks 39')
    .action(
      wrap(async (ctx, options) => {
        const weeks = (options as { holdoutWeeks?: number }).holdoutWeeks ?? ctx.config.clv.holdoutWeeks;
        if (!(weeks > 0)) throw new ConfigError('--holdout-weeks must be a positive number');
        const check = await modelReportStep(ctx, weeks);
        if (ctx.json) ctx.printJson(check);
        else ctx.print(formatModelCheck(check));
      }),
    );
  report
    .command('html')
    .option('--holdout-weeks <n>', 'holdout period of the model check chart (default: clv.holdoutWeeks, 26)', (v) => Number(v))
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
        const holdoutWeeks = (options as { holdoutWeeks?: number }).holdoutWeeks ?? ctx.config.clv.holdoutWeeks;
        const path = await withWorkspaceLock(ctx, 'ca report html', () => htmlReportStep(ctx, holdoutWeeks));
        if (ctx.json) ctx.printJson({ report: path });
        else ctx.log.info(`wrote ${path}`);
      }),
    );
};
