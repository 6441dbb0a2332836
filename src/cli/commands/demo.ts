import type { Register } from './index.js';
import { startSandboxes } from '../../app/sandboxes.js';
import { updateStep } from '../../app/updateStep.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateEcomExport } from '../../sandbox/ecomExport.js';
import { createContext, type GlobalOptions } from '../context.js';

export const registerDemo: Register = (program, wrap) =>
  program
    .command('demo')
    .description('run the whole pipeline against the built-in sandboxes (no credentials needed)')
    .option('--customers <n>', 'customers per vendor', (v) => Number(v), 2000)
    .addHelpText('after', '\nExample:\n  npx ca demo && open data/customer_analytics_master.csv')
    .action(
      wrap(async (ctx, options, command) => {
        const sandboxes = await startSandboxes({ customers: (options as { customers: number }).customers });
        try {
          // The same command line, pointed at the sandboxes instead of the real vendors.
          const demoCtx = await createContext(
            (command as { optsWithGlobals(): GlobalOptions }).optsWithGlobals(),
            { ...ctx.io, env: { ...ctx.io.env, ...sandboxes.env } },
          );
          // An e-commerce export sharing some customers with the two APIs, imported by the update.
          const exportFile = join(demoCtx.paths.dataDir, 'demo', 'ecom-orders-export.csv');
          await mkdir(join(demoCtx.paths.dataDir, 'demo'), { recursive: true });
          await writeFile(exportFile, generateEcomExport({ seed: 42, now: ctx.io.now(), days: 365, orders: 1500, known: sandboxes.people(), currency: 'USD' }));
          demoCtx.config.ecom = { mapping: 'lightspeed-ecom', file: exportFile };
          // Every demo starts new sandboxes, so it starts every source over (the previous master is archived).
          const summary = await updateStep(demoCtx, { full: true });
          if (ctx.json) ctx.printJson(summary);
          else {
            ctx.print(`master: ${summary.merge.master} (${summary.merge.rows} customers)`);
            ctx.print(`first-time buyers: ${demoCtx.paths.firstTimeBuyers} (${summary.merge.firstTimeBuyers})`);
            ctx.print(`reports: ${demoCtx.paths.reports}`);
            ctx.print('next: `ca stats`, `ca check`, `ca report html`');
          }
        } finally {
          await sandboxes.close();
        }
      }),
    );
