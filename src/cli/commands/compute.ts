import type { Register } from './command.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';

export const registerCompute: Register = (program, wrap) =>
  program
    .command('compute')
    .description('resolve customers across sources and compute metrics, segments, LTV and predictions')
    .addHelpText('after', '\nExample:\n  ca compute --as-of=2025-06-30\n\nA date alone means the end of that UTC day: as of 2025-06-30T23:59:59Z.\nReads data/cache/, writes data/cache/computed/ for `ca merge`.')
    .action(
      wrap(async (ctx) => {
        const { computeStep } = await import('../../app/computeStep.js');
        const computed = await withWorkspaceLock(ctx, 'ca compute', () => computeStep(ctx));
        const counts = computed.summary.counts;
        if (ctx.json) ctx.printJson({ customers: computed.master.rows, ...counts, warnings: computed.summary.warnings });
        else ctx.log.info(`computed ${computed.master.rows} customers from ${counts.customerRecords} source records and ${counts.orders} orders`);
      }),
    );
