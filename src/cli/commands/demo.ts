import type { Register } from './index.js';
import { startSandboxes } from '../../app/sandboxes.js';
import { updateStep } from '../../app/updateStep.js';
import { mkdir, readdir, realpath, writeFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEcomExport } from '../../sandbox/ecomExport.js';
import { ConfigError } from '../../io/errors.js';
import { createContext, wholeNumber, type GlobalOptions } from '../context.js';

/** The folder `ca demo` writes to unless told otherwise: never the user's own workspace. */
export const DEMO_WORKSPACE = 'ca-demo';
/** Left in every folder the demo wrote, so a later demo may write there again and nothing else is taken for one. */
const MARKER = '.ca-demo';

export const registerDemo: Register = (program, wrap) =>
  program
    .command('demo')
    .description(`run the whole pipeline against the built-in sandboxes (no credentials needed), in ./${DEMO_WORKSPACE}/`)
    .option('--customers <n>', 'customers per vendor (1 to 1000000)', wholeNumber('--customers', 1, 1_000_000), 2000)
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
            const ca = await caCommand(ctx.io.env.PATH, ctx.io.cwd);
            ctx.print(`next: \`${ca} ${flag} stats\`, then \`check\`, \`customer <email>\`, \`report html\` the same way`);
            if (ca !== 'ca') ctx.print('(to type just `ca`: run `npm link` in the ca folder, or `npm install -g` it; see README)');
          }
        } finally {
          await sandboxes.close();
        }
      }),
    );

/** This package's folder (dist/cli/commands/ -> the root) and its `bin/ca`. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OWN_BIN = join(PACKAGE_ROOT, 'bin', 'ca');

/**
 * How the user can run this very `ca` from `cwd`, as the demo's "next" line prints it: `ca` when the
 * `ca` on PATH is this one; `npx ca` inside this package's folder (npm runs the package's own bin);
 * else `node /path/to/bin/ca`. (`npx ca` elsewhere could fetch an unrelated package named ca.)
 */
export async function caCommand(path: string | undefined, cwd: string): Promise<string> {
  const own = await realpath(OWN_BIN).catch(() => OWN_BIN);
  const node = `node ${/\s/.test(OWN_BIN) ? JSON.stringify(OWN_BIN) : OWN_BIN}`;
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const found = await realpath(join(dir, 'ca')).catch(() => undefined);
    if (found !== undefined) return found === own ? 'ca' : node;
  }
  const inside = relative(PACKAGE_ROOT, cwd);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)) ? 'npx ca' : node;
}

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
