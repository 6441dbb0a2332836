/** Commands that look at the results: stats, customer, status. */
import type { Register } from './command.js';
import { ExitCode } from '../../io/errors.js';

export const registerStats: Register = (program, wrap) =>
  program
    .command('stats')
    .description("the shop owner's dashboard: customers, repeat share, new this month, LTV, by source, channel and first touch, segments")
    .addHelpText('after', '\nExamples:\n  ca stats\n  ca stats --json | jq .by_first_touch')
    .action(
      wrap(async (ctx) => {
        const { formatStats, statsStep } = await import('../../app/statsStep.js');
        const stats = await statsStep(ctx);
        if (ctx.json) ctx.printJson(stats);
        else ctx.print(formatStats(stats));
      }),
    );

export const registerCustomer: Register = (program, wrap) =>
  program
    .command('customer')
    .argument('<id-email-or-phone>', 'a customer_id, a source customer id, an e-mail address or a phone number')
    .description('one customer: merged identities, every order and appointment in time order, metrics and segments')
    .addHelpText('after', '\nExamples:\n  ca customer anne@example.com\n  ca customer "+1 415 555 0101" --json\n\nA query no customer matches exits 10 (not found). With --json, counts and amounts are JSON numbers (null when empty).')
    .action(
      wrap(async (ctx, query) => {
        const { customerJson, customerStep, formatCustomer } = await import('../../app/customerStep.js');
        const views = await customerStep(ctx, query as string);
        if (ctx.json) ctx.printJson(views.map(customerJson));
        else ctx.print(views.map(formatCustomer).join('\n\n'));
      }),
    );

export const registerStatus: Register = (program, wrap) =>
  program
    .command('status')
    .description('freshness of every source, the last update, the last runs and the master; non-zero exit when stale or failed')
    .addHelpText('after', '\nExamples:\n  ca status\n  ca status --json\n  ca status || notify-team "customer analytics are stale"')
    .action(
      wrap(async (ctx) => {
        const { formatStatus, statusStep } = await import('../../app/statusStep.js');
        const status = await statusStep(ctx);
        if (ctx.json) ctx.printJson(status);
        else ctx.print(formatStatus(status));
        return status.ok ? ExitCode.ok : ExitCode.check;
      }),
    );
