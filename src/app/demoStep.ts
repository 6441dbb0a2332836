/**
 * `ca demo`: the whole pipeline against the built-in sandboxes, in a workspace of its own. It writes
 * only into a folder that is missing, empty or an earlier demo's, never next to real data.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../io/errors.js';
import { generateEcomExport } from '../sandbox/ecomExport.js';
import { createContext, DEMO_WORKSPACE, type Context, type GlobalOptions } from './context.js';
import { startSandboxes } from './sandboxes.js';
import { updateStep, type UpdateSummary } from './updateStep.js';

/** The folder `ca demo` writes to unless told otherwise: never the user's own workspace. */
/** Square requests per second in the demo (the `square.maxRequestsPerSecond` maximum): its sandbox is local. */
const DEMO_SQUARE_REQUESTS_PER_SECOND = 100;
/** Left in every folder the demo wrote, so a later demo may write there again and nothing else is taken for one. */
const MARKER = '.ca-demo';

export interface DemoOptions {
  /** Customers per vendor sandbox. */
  customers: number;
}

export interface DemoSummary extends UpdateSummary {
  /** The folder that holds everything the demo wrote. */
  workspace: string;
  /** Whether that folder is a data folder of its own (`--data-dir`), not a workspace. */
  dataDirMode: boolean;
  /** The context the demo ran in (its paths). */
  demo: Context;
}

/**
 * Runs the demo. `given` are the global options of the command line: the demo's folder is the
 * workspace or data folder they (or the environment) name, else ./ca-demo/.
 */
export async function demoStep(ctx: Context, given: GlobalOptions, options: DemoOptions): Promise<DemoSummary> {
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

  const sandboxes = await startSandboxes({ customers: options.customers });
  try {
    // The same command line, pointed at the sandboxes instead of the real vendors.
    const demoCtx = await createContext(demoOptions, { ...ctx.io, env: { ...env, ...sandboxes.env } });
    // An e-commerce export sharing some customers with the two APIs, imported by the update.
    const exportFile = join(demoCtx.paths.dataDir, 'demo', 'ecom-orders-export.csv');
    await mkdir(join(demoCtx.paths.dataDir, 'demo'), { recursive: true });
    await writeFile(exportFile, generateEcomExport({ seed: 42, now: ctx.io.now(), days: 365, orders: 1500, known: sandboxes.people(), currency: 'USD' }));
    demoCtx.config.ecom = { mapping: 'lightspeed-ecom', file: exportFile };
    // Square's pace protects Square's servers; the demo talks only to its own sandbox, so it goes at the
    // settings' maximum unless the demo's config asks for another.
    demoCtx.config.square = { maxRequestsPerSecond: DEMO_SQUARE_REQUESTS_PER_SECOND, ...demoCtx.config.square };
    // Every demo starts new sandboxes, so it starts every source over (the previous master is archived).
    const summary = await updateStep(demoCtx, { full: true });
    return { ...summary, workspace: root, dataDirMode, demo: demoCtx };
  } finally {
    await sandboxes.close();
  }
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
