import type { Register } from './command.js';
import { LIFECYCLE_SEGMENTS, VALUE_TIERS } from '../../core/masterColumns.js';
import { ExitCode } from '../../io/errors.js';

export const registerCheck: Register = (program, wrap) =>
  program
    .command('check')
    .description('sanity checks on the master and the cache; exits non-zero when one fails')
    .addHelpText(
      'after',
      '\nExample:\n  ca update --days=14 && ca check\n\nAlso warns (without failing) when a file or folder of the workspace can be read by group or other users.',
    )
    .action(
      wrap(async (ctx) => {
        const { checkStep } = await import('../../app/checkStep.js');
        const { inOrder } = await import('../../app/statsStep.js');
        const report = await checkStep(ctx);
        if (ctx.json) ctx.printJson(report);
        else {
          for (const check of report.checks) ctx.print(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
          for (const [column, counts] of Object.entries(report.distribution)) {
            // Lifecycle and value tier in their own order (as the report and `ca stats` list them), the
            // rest by count; "(empty)" last.
            const declared = column === 'lifecycle_segment' ? LIFECYCLE_SEGMENTS : column === 'value_tier' ? VALUE_TIERS : [];
            const { '(empty)': empty, ...named } = inOrder(Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1])), declared);
            const sorted = [...Object.entries(named), ...(empty === undefined ? [] : [['(empty)', empty] as const])];
            ctx.print(`${column}: ${sorted.map(([v, n]) => `${v} ${n}`).join(', ')}`);
          }
        }
        if (!report.ok) {
          ctx.io.stderr.write(`ca: ${report.checks.filter((c) => !c.ok).length} check(s) failed\n`);
          return ExitCode.check;
        }
        return ExitCode.ok;
      }),
    );
