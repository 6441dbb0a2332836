import type { Register } from './index.js';
import { startSandboxes } from '../../app/sandboxes.js';
import { updateStep } from '../../app/updateStep.js';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generateEcomExport } from '../../sandbox/ecomExport.js';
import { ConfigError } from '../../io/errors.js';
import { createContext, type GlobalOptions } from '../../app/context.js';

/** The folder `ca demo` writes to unless told otherwise: never the user's own workspace. */
export const DEMO_WORKSPACE = 'ca-demo';
/** Left in every folder the demo wrote, so a later demo may write there again and nothing else is taken for one. */
const MARKER = '.ca-demo';

export const registerDemo: Register = (program, wrap) =>
  program
    .command('demo')
    .description(`run the whole pipeline against the built-in sandboxes (no credentials needed), in ./${DEMO_WORKSPACE}/`)
    .option('--customers <n>', 'customers per vendor', (v) => Number(v), 2000)
    .addHelpText(
      'after',
      `\nExample:\n  npx ca demo && npx ca --workspace ${DEMO_WORKSPACE} stats\n\n` +
        `Writes a workspace of its own (./${DEMO_WORKSPACE}/, or the --workspace / --data-dir you name), and only into\n` +
        'a folder that is empty or an earlier demo\'s: never next to real data.',
    )
    .action(
      wrap(async (ctx, options, command) => {
        const given = (command as { optsWithGlobals(): GlobalOptions }).optsWithGlobals();
        const env = ctx.io.env;
        const dataDirMode = Boolean(given.dataDir ?? env.CA_DATA_DIR);
        const named = Boolean(given.workspace ?? env.CA_WORKSPACE) || dataDirMode;
        const demoOptions: GlobalOptions = named ? given : { ...given, workspace: DEMO_WORKSPACE };
        const target = await createContext(demoOptions, ctx.io);
        // In a data folder of its own everything goes inside it; else the workspace holds it all.
        const root = dataDirMode ? target.paths.dataDir : target.paths.workspace;
        await refuseForeignFolder(root);
        await mkdir(root, { recursive: true });
        await writeFile(join(root, MARKER), 'written by `ca demo` against the built-in sandboxes; safe to delete with this folder\n');

        const sandboxes = await startSandboxes({ customers: (options as { customers: number }).customers });
        try {
          // The same command line, pointed at the sandboxes instead of the real vendors.
          const demoCtx = await createContext(demoOptions, { ...ctx.io, env: { ...env, ...sandboxes.env } });
          // An e-commerce export sharing some customers with the two APIs, imported by the update.
          const exportFile = join(demoCtx.paths.dataDir, 'demo', 'ecom-orders-export.csv');
          await mkdir(join(demoCtx.paths.dataDir, 'demo'), { recursive: true });
          await writeFile(exportFile, generateEcomExport({ seed: 42, now: ctx.io.now(), days: 365, orders: 1500, known: sandboxes.people(), currency: 'USD' }));
          demoCtx.config.ecom = { mapping: 'lightspeed-ecom', file: exportFile };
          // Every demo starts new sandboxes, so it starts every source over (the previous master is archived).
          const summary = await updateStep(demoCtx, { full: true });
          if (ctx.json) ctx.printJson({ workspace: root, ...summary });
          else {
            const flag = `${dataDirMode ? '--data-dir' : '--workspace'} ${relative(ctx.io.cwd, root) || '.'}`;
            ctx.print(`demo workspace: ${root} (sandbox data only; safe to delete)`);
            ctx.print(`master: ${summary.merge.master} (${summary.merge.rows} customers)`);
            ctx.print(`first-time buyers: ${demoCtx.paths.firstTimeBuyers} (${summary.merge.firstTimeBuyers})`);
            ctx.print(`reports: ${demoCtx.paths.reports}`);
            ctx.print(`next: \`ca ${flag} stats\`, then \`check\`, \`customer <email>\`, \`report html\` the same way`);
          }
        } finally {
          await sandboxes.close();
        }
      }),
    );

/** The demo writes only into a missing or empty folder, or one an earlier demo wrote. */
async function refuseForeignFolder(root: string): Promise<void> {
  const entries: string[] = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length === 0 || entries.includes(MARKER)) return;
  throw new ConfigError(`${root} holds files \`ca demo\` did not write; the demo writes only into an empty folder or an earlier demo's`, {
    hint: `run \`ca demo\` without --workspace or --data-dir (it writes to ./${DEMO_WORKSPACE}/), or name a new folder`,
  });
}
