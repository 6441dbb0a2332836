import type { Register } from './command.js';
import { API_SOURCES, type ApiSource } from '../../sources/registry.js';
import { ConfigError } from '../../io/errors.js';
import { withWorkspaceLock } from '../../app/workspaceLock.js';
import { wholeNumber } from '../../app/context.js';

export const registerFetch: Register = (program, wrap) =>
  program
    .command('fetch')
    .argument('<source>', `one of: ${API_SOURCES.join(', ')}`)
    .option('--full', 're-pull everything instead of resuming from the saved state')
    .option('--days <n>', 'square: re-read at least the last N days even if the state is newer (lightspeed needs no look-back: its version cursors see every change)', wholeNumber('--days', 1, 36500, 14))
    .description('pull from a vendor API into data/cache/, incrementally from the saved state')
    .addHelpText(
      'after',
      '\nExamples:\n  LIGHTSPEED_TOKEN=… LIGHTSPEED_DOMAIN_PREFIX=mystore ca fetch lightspeed\n  ca fetch square --full\n\n' +
        "Every record is checked against the vendor's API shape: records that do not match go to\n" +
        'data/rejects/<source>-<time>.csv; when more than maxRejectShare (5 %) of a page does not, the fetch\n' +
        'stops (exit 4) and stores nothing of that page. A missing scope is exit 3 (a warning for streams that\n' +
        'only name things); a token for another store than the cache holds is exit 2.',
    )
    .action(
      wrap(async (ctx, source, options) => {
        const { describeFetch, fetchStep } = await import('../../app/fetchStep.js');
        if (!API_SOURCES.includes(source as ApiSource)) {
          throw new ConfigError(`unknown source ${String(source)}; expected one of ${API_SOURCES.join(', ')}`);
        }
        const opts = options as { full?: boolean; days?: number };
        if (opts.days !== undefined && source === 'lightspeed') ctx.log.info('lightspeed: --days is not needed (its version cursors see every change and deletion); fetching what changed');
        const summary = await withWorkspaceLock(ctx, `ca fetch ${String(source)}`, () =>
          fetchStep(ctx, source as ApiSource, { full: Boolean(opts.full), lookbackDays: opts.days }),
        );
        if (ctx.json) ctx.printJson(summary);
        else ctx.log.info(describeFetch(summary));
      }),
    );
