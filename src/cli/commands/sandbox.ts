import type { Register } from './command.js';
import { ConfigError } from '../../io/errors.js';
import { wholeNumber } from '../../app/context.js';

export const registerSandbox: Register = (program, wrap) =>
  program
    .command('sandbox')
    .description('serve local stand-ins for the Lightspeed X-Series and Square APIs with generated data, until stopped')
    .option('--port <n>', 'Lightspeed port (Square gets the next one); default: free ports', wholeNumber('--port', 1, 65534))
    .option('--seed <n>', 'data generator seed', wholeNumber('--seed', 0), 42)
    .option('--customers <n>', 'customers per vendor (0 to 1000000)', wholeNumber('--customers', 0, 1_000_000), 2000)
    .option('--history-days <n>', 'days of history (1 to 3650)', wholeNumber('--history-days', 1, 3650), 365)
    .option('--lightspeed-sales-shape <shape>', 'answer Lightspeed sales in this API shape: 2.0, or 2026.01 to see a fetch refuse another version', '2.0')
    .option('--square-scopes <list>', 'make the Square token an OAuth token with only these comma-separated scopes (default: a personal token)', (v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .addHelpText('after', '\nExample:\n  ca sandbox --port 4010\n  # then, in another shell, use the printed exports and run: ca update\n  ca sandbox --square-scopes APPOINTMENTS_READ,CUSTOMERS_READ,PAYMENTS_READ,MERCHANT_PROFILE_READ\n\nControl routes: POST /__sandbox/advance {"days":N}, POST /__sandbox/faults, GET /__sandbox/stats.')
    .action(
      wrap(async (ctx, options) => {
        const { startSandboxes } = await import('../../app/sandboxes.js');
        const opts = options as { port?: number; seed: number; customers: number; historyDays: number; lightspeedSalesShape: string; squareScopes?: string[] };
        if (opts.lightspeedSalesShape !== '2.0' && opts.lightspeedSalesShape !== '2026.01') {
          throw new ConfigError(`--lightspeed-sales-shape: expected 2.0 or 2026.01, not ${opts.lightspeedSalesShape}`);
        }
        const sandboxes = await startSandboxes({ ...opts, lightspeedSalesShape: opts.lightspeedSalesShape, now: ctx.asOfGiven ? ctx.asOf : undefined });
        ctx.print(Object.entries(sandboxes.env).map(([k, v]) => `export ${k}=${v}`).join('\n'));
        ctx.log.info('sandbox running; Ctrl-C to stop');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandboxes.close();
      }),
    );
