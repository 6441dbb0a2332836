import type { Register } from './command.js';
import { relative } from 'node:path';
import type { GlobalOptions } from '../../app/context.js';
import { DEMO_WORKSPACE, demoStep } from '../../app/demoStep.js';

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
        const { workspace, dataDirMode, demo, ...summary } = await demoStep(ctx, given, { customers: (options as { customers: number }).customers });
        if (ctx.json) ctx.printJson({ workspace, ...summary });
        else {
          const flag = `${dataDirMode ? '--data-dir' : '--workspace'} ${relative(ctx.io.cwd, workspace) || '.'}`;
          ctx.print(`demo workspace: ${workspace} (sandbox data only; safe to delete)`);
          ctx.print(`master: ${summary.merge.master} (${summary.merge.rows} customers)`);
          ctx.print(`first-time buyers: ${demo.paths.firstTimeBuyers} (${summary.merge.firstTimeBuyers})`);
          ctx.print(`reports: ${demo.paths.reports}`);
          ctx.print(`next: \`ca ${flag} stats\`, then \`check\`, \`customer <email>\`, \`report html\` the same way`);
        }
      }),
    );
