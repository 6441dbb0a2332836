import type { Register } from './index.js';
import { startSandboxes } from '../../app/sandboxes.js';

export const registerSandbox: Register = (program, wrap) =>
  program
    .command('sandbox')
    .description('serve local stand-ins for the Lightspeed X-Series and Square APIs with generated data, until stopped')
    .option('--port <n>', 'Lightspeed port (Square gets the next one); default: free ports', (v) => Number(v))
    .option('--seed <n>', 'data generator seed', (v) => Number(v), 42)
    .option('--customers <n>', 'customers per vendor', (v) => Number(v), 2000)
    .option('--history-days <n>', 'days of history', (v) => Number(v), 365)
    .addHelpText('after', '\nExample:\n  ca sandbox --port 4010\n  # then, in another shell, use the printed exports and run: ca update\n\nControl routes: POST /__sandbox/advance {"days":N}, POST /__sandbox/faults, GET /__sandbox/stats.')
    .action(
      wrap(async (ctx, options) => {
        const opts = options as { port?: number; seed: number; customers: number; historyDays: number };
        const sandboxes = await startSandboxes({ ...opts, now: ctx.asOfGiven ? ctx.asOf : undefined });
        ctx.print(Object.entries(sandboxes.env).map(([k, v]) => `export ${k}=${v}`).join('\n'));
        ctx.log.info('sandbox running; Ctrl-C to stop');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandboxes.close();
      }),
    );
