import type { Register } from './command.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';

export const registerImport: Register = (program, wrap) => {
  const importCommand = program.command('import').description('take in exported files');
  importCommand
    .command('ecom')
    .argument('<file>', 'the e-commerce orders export (CSV)')
    .option('--mapping <preset-or-file>', 'column mapping: lightspeed-ecom, generic, or a JSON file (default: ecom.mapping in the config)')
    .description('validate and import an e-commerce orders export; unusable rows go to data/rejects/')
    .addHelpText('after', '\nExample:\n  ca import ecom ~/Downloads/orders.csv --mapping=my-shop-mapping.json\n\nSee docs/import-ecom.md for the mapping format.')
    .action(
      wrap(async (ctx, file, options) => {
        const { importStep } = await import('../../app/importStep.js');
        const summary = await withWorkspaceLock(ctx, 'ca import ecom', () => importStep(ctx, file as string, (options as { mapping?: string }).mapping));
        if (ctx.json) ctx.printJson(summary);
        else {
          ctx.log.info(
            `${summary.file}: ${summary.rowsRead} rows read, ${summary.ordersTaken} orders taken (${summary.linesGrouped} lines grouped), ${summary.rowsRejected} rows rejected` +
              (summary.rejectsFile ? ` -> ${summary.rejectsFile}` : ''),
          );
        }
      }),
    );
};
