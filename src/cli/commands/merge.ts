import type { Register } from './command.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';

export const registerMerge: Register = (program, wrap) =>
  program
    .command('merge')
    .description('write the master, first-time buyers and reports from what compute produced, keeping user-added columns')
    .addHelpText('after', '\nExample:\n  ca compute && ca merge\n\nThe previous master is copied to archive/ first; every file is replaced atomically.\nBeside the master and first-time buyers CSVs go typed workbooks (.xlsx), up to workbook.maxRows rows.')
    .action(
      wrap(async (ctx) => {
        const { mergeStep } = await import('../../app/mergeStep.js');
        const summary = await withWorkspaceLock(ctx, 'ca merge', () => mergeStep(ctx));
        if (ctx.json) ctx.printJson(summary);
        else ctx.log.info(`wrote ${summary.master} (${summary.rows} customers${summary.userColumns.length ? `, kept your columns ${summary.userColumns.join(', ')}` : ''})`);
      }),
    );
