import type { Register } from './index.js';
import { API_SOURCES, describeFetch, fetchStep, type ApiSource } from '../../app/fetchStep.js';
import { ConfigError } from '../../io/errors.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';

export const registerFetch: Register = (program, wrap) =>
  program
    .command('fetch')
    .argument('<source>', `one of: ${API_SOURCES.join(', ')}`)
    .option('--full', 're-pull everything instead of resuming from the saved state')
    .option('--days <n>', 'square: re-read at least the last N days even if the state is newer (lightspeed needs no look-back: its version cursors see every change)', (v) => Number(v))
    .description('pull from a vendor API into data/cache/, incrementally from the saved state')
    .addHelpText('after', '\nExamples:\n  LIGHTSPEED_TOKEN=… LIGHTSPEED_DOMAIN_PREFIX=mystore ca fetch lightspeed\n  ca fetch square --full')
    .action(
      wrap(async (ctx, source, options) => {
        if (!API_SOURCES.includes(source as ApiSource)) {
          throw new ConfigError(`unknown source ${String(source)}; expected one of ${API_SOURCES.join(', ')}`);
        }
        const opts = options as { full?: boolean; days?: number };
        if (opts.days !== undefined && !(opts.days > 0)) throw new ConfigError('--days must be a positive number');
        if (opts.days !== undefined && source === 'lightspeed') ctx.log.info('lightspeed: --days is not needed (its version cursors see every change and deletion); fetching what changed');
        const summary = await withWorkspaceLock(ctx, `ca fetch ${String(source)}`, () =>
          fetchStep(ctx, source as ApiSource, { full: Boolean(opts.full), lookbackDays: opts.days }),
        );
        if (ctx.json) ctx.printJson(summary);
        else ctx.log.info(describeFetch(summary));
      }),
    );
