import type { Register } from './command.js';
import { realpath } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { DEMO_WORKSPACE, wholeNumber, type GlobalOptions } from '../../app/context.js';
import { ownBin, packageRoot } from '../../packageRoot.js';

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
        const { demoStep } = await import('../../app/demoStep.js');
        const { workspace, dataDirMode, demo, ...summary } = await demoStep(ctx, given, { customers: (options as { customers: number }).customers });
        if (ctx.json) ctx.printJson({ workspace, ...summary });
        else {
          const flag = `${dataDirMode ? '--data-dir' : '--workspace'} ${relative(ctx.io.cwd, workspace) || '.'}`;
          ctx.print(`demo workspace: ${workspace} (sandbox data only; safe to delete)`);
          ctx.print(`master: ${summary.merge.master} (${summary.merge.rows} customers)`);
          ctx.print(`first-time buyers: ${demo.paths.firstTimeBuyers} (${summary.merge.firstTimeBuyers})`);
          ctx.print(`reports: ${demo.paths.reports}`);
          const ca = await caCommand(ctx.io.env.PATH, ctx.io.cwd);
          ctx.print(`next: \`${ca} ${flag} stats\`, then \`check\`, \`customer <email>\`, \`report html\` the same way`);
          if (ca !== 'ca') ctx.print('(to type just `ca`: run `npm link` in the ca folder, or `npm install -g` it; see README)');
        }
      }),
    );

/**
 * How the user can run this very `ca` from `cwd`, as the demo's "next" line prints it: `ca` when the
 * `ca` on PATH is this one; `npx ca` inside this package's folder (npm runs the package's own bin);
 * else `node /path/to/bin/ca`. (`npx ca` elsewhere could fetch an unrelated package named ca.)
 */
export async function caCommand(path: string | undefined, cwd: string): Promise<string> {
  const bin = ownBin();
  const own = await realpath(bin).catch(() => bin);
  const node = `node ${/\s/.test(bin) ? JSON.stringify(bin) : bin}`;
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const found = await realpath(join(dir, 'ca')).catch(() => undefined);
    if (found !== undefined) return found === own ? 'ca' : node;
  }
  const inside = relative(packageRoot(), cwd);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)) ? 'npx ca' : node;
}
