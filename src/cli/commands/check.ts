import type { Register } from './command.js';
import { checkStep } from '../../app/checkStep.js';
import { ExitCode } from '../../io/errors.js';

export const registerCheck: Register = (program, wrap) =>
  program
    .command('check')
    .description('sanity checks on the master and the cache; exits non-zero when one fails')
    .addHelpText('after', '\nExample:\n  ca update --days=14 && ca check')
    .action(
      wrap(async (ctx) => {
        const report = await checkStep(ctx);
        if (ctx.json) ctx.printJson(report);
        else {
          for (const check of report.checks) ctx.print(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
          for (const [column, counts] of Object.entries(report.distribution)) {
            ctx.print(`${column}: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} ${n}`).join(', ')}`);
          }
        }
        if (!report.ok) {
          ctx.io.stderr.write(`ca: ${report.checks.filter((c) => !c.ok).length} check(s) failed\n`);
          return ExitCode.check;
        }
        return ExitCode.ok;
      }),
    );
