/**
 * The GitHub Actions recipes, run as written. docs/examples/update-shops.yml (one job per shop, each
 * with its own secrets, all exported into one PostgreSQL database under the shop's name) is parsed, and
 * each matrix job's `run` steps are executed by bash in order, in a checkout-like folder, with the
 * environment GitHub would give them (job and step `env`, `${{ matrix.shop }}`, the shop's secrets),
 * skipping steps the way GitHub does after a failure. The `uses` steps (checkout, setup-node, cache,
 * upload) are GitHub's own and are not run; `npm ci` neither (`ca` is on the PATH as after it).
 * Also: neither workflow uploads customer data unless asked to.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { CA, cleanEnv, readCsv, removeDir, REPO, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';
import { startPostgres, withClient, type PostgresServer } from '../helpers/postgresServer.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { workflow_dispatch?: { inputs?: Record<string, { type: string; default: unknown }> } };
  jobs: Record<string, { env?: Record<string, string>; strategy?: { 'fail-fast'?: boolean; matrix: { shop: string[] } }; steps: Step[] }>;
}

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
let server: PostgresServer;
let databaseUrl: string;
let checkout: string;
let bin: string;

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 181, customers: 40, historyDays: 20, salesPerDay: 5, currency: 'USD' });
  square = await startSquareSandbox({ seed: 182, customers: 30, historyDays: 20, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  server = await startPostgres();
  databaseUrl = await server.createDatabase('actions');
  checkout = await tempDir('ca-actions-checkout-');
  // Each shop's ca.config.json, as the repository would hold it: the tests' one (tests/helpers/config.ts).
  for (const shop of ['north', 'south', 'west']) {
    await mkdir(join(checkout, 'shops', shop), { recursive: true });
    await writeTestConfig(join(checkout, 'shops', shop));
  }
  bin = await tempDir('ca-actions-bin-');
  await symlink(CA, join(bin, 'ca'));
}, 120_000);

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await server?.stop();
  await Promise.all([checkout, bin].filter(Boolean).map(removeDir));
});

const workflow = async (path: string) => parse(await readFile(join(REPO, path), 'utf8')) as Workflow;

/** `${{ … }}` as GitHub evaluates the few forms these workflows use; anything else fails the test. */
function evaluate(text: string, shop: string, secrets: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'matrix.shop') return shop;
    const formatted = /^secrets\[format\('\{0\}_([A-Z_]+)', matrix\.shop\)\]$/.exec(expression);
    // Secret names are case-insensitive; a secret that is not set is an empty string.
    if (formatted) return secrets[`${shop}_${formatted[1]}`.toUpperCase()] ?? '';
    const named = /^secrets\.([A-Z_]+)$/.exec(expression);
    if (named) return secrets[named[1]] ?? '';
    throw new Error(`the test does not know how GitHub evaluates \${{ ${expression} }}`);
  });
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // GitHub's default shell for `run`: bash --noprofile --norc -eo pipefail.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** One matrix job: its steps in order, as GitHub would run or skip them. */
async function runJob(job: Workflow['jobs'][string], shop: string, secrets: Record<string, string>) {
  const runner = cleanEnv({
    PATH: `${bin}:${process.env.PATH}`,
    // Where the vendors are: the sandboxes (a real runner reaches the real APIs).
    LIGHTSPEED_BASE_URL: lightspeed.url,
    SQUARE_BASE_URL: square.url,
  });
  for (const [key, value] of Object.entries(job.env ?? {})) runner[key] = evaluate(value, shop, secrets);
  const results: { step: string; outcome: 'success' | 'failure' | 'skipped'; output: string }[] = [];
  let failed = false;
  for (const step of job.steps) {
    const label = step.name ?? step.uses ?? step.run ?? '';
    const condition = step.if ?? '';
    // Without `if`, a step runs only while all went well; these workflows' conditions that start with
    // !cancelled() run after a failure too (their other terms hold once `update` has run).
    const runs = condition === '' ? !failed : condition.includes('!cancelled()') && !condition.includes('inputs.upload-artifacts');
    if (!runs || step.uses || step.run === undefined || step.run.startsWith('npm ci')) {
      results.push({ step: label, outcome: runs ? 'success' : 'skipped', output: '' });
      continue;
    }
    const env = { ...runner };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(value, shop, secrets);
    const script = evaluate(step.run, shop, secrets).replaceAll('npx ca ', 'ca ');
    const { code, output } = await bash(script, env);
    results.push({ step: label, outcome: code === 0 ? 'success' : 'failure', output });
    if (code !== 0) failed = true;
  }
  return results;
}

describe('docs/examples/update-shops.yml: a matrix job per shop', () => {
  it('updates each shop with its own secrets and gathers them in one database under their names', async () => {
    const file = await workflow('docs/examples/update-shops.yml');
    const job = file.jobs.update;
    expect(job.strategy?.['fail-fast']).toBe(false);
    const shops = job.strategy!.matrix.shop;
    expect(shops).toEqual(['north', 'south']);
    // North sells on Lightspeed, south on Square; each shop's secrets carry its name.
    const secrets = {
      NORTH_LIGHTSPEED_TOKEN: lightspeed.token,
      NORTH_LIGHTSPEED_DOMAIN_PREFIX: 'north',
      SOUTH_SQUARE_ACCESS_TOKEN: square.token,
      DATABASE_URL: databaseUrl,
    };
    // The jobs run side by side, as the matrix does.
    const runs = await Promise.all(shops.map((shop) => runJob(job, shop, secrets)));
    for (const results of runs) {
      for (const r of results) expect(r.outcome, `${r.step}: ${r.output}`).not.toBe('failure');
      expect(results.find((r) => r.step === 'Update')!.outcome).toBe('success');
      expect(results.find((r) => r.step === 'Export to PostgreSQL')!.output).toContain('postgres (');
      expect(results.find((r) => r.step === 'Upload the results')!.outcome).toBe('skipped');
    }

    for (const [shop, source] of [['north', 'lightspeed'], ['south', 'square']] as const) {
      const master = await readCsv(join(checkout, 'shops', shop, 'data', 'customer_analytics_master.csv'));
      expect(master.length).toBeGreaterThan(0);
      const otherIds = source === 'lightspeed' ? 'square_customer_ids' : 'lightspeed_customer_ids';
      expect(master.filter((row) => row[otherIds] !== '')).toEqual([]);
      const rows = await withClient(databaseUrl, async (client) =>
        (await client.query('SELECT customer_id FROM customer_analytics WHERE account = $1 AND removed_at IS NULL ORDER BY customer_id', [shop])).rows.map((r) => r.customer_id as string),
      );
      expect(rows).toEqual(master.map((r) => r.customer_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const output = runs.flat().map((r) => r.output).join('\n');
    for (const secret of [lightspeed.token, square.token]) expect(output).not.toContain(secret);
  });

  it('a shop whose secret is refused fails its own job only; status and the cache save still run', async () => {
    const job = (await workflow('docs/examples/update-shops.yml')).jobs.update;
    const results = await runJob(job, 'west', { WEST_LIGHTSPEED_TOKEN: 'revoked-token-99887766', DATABASE_URL: databaseUrl });
    const outcome = Object.fromEntries(results.map((r) => [r.step, r.outcome]));
    expect(outcome.Update).toBe('failure');
    expect(results.find((r) => r.step === 'Update')!.output).toContain('refused the credentials (HTTP 401)');
    expect(outcome.Check).toBe('skipped');
    expect(outcome['Export to PostgreSQL']).toBe('skipped');
    expect(outcome.Status).toBe('failure');
    expect(outcome["Save this shop's working data for the next run"]).toBe('success');
    const accounts = await withClient(databaseUrl, async (client) => (await client.query('SELECT DISTINCT account FROM customer_analytics ORDER BY account')).rows.map((r) => r.account));
    expect(accounts).not.toContain('west');
  });
});

describe('customer data is not published by default', () => {
  for (const path of ['.github/workflows/update-analytics.yml', 'docs/examples/update-shops.yml']) {
    it(`${path}: the artifact upload is an opt-in input, off unless asked for`, async () => {
      const file = await workflow(path);
      expect(file.on.workflow_dispatch?.inputs?.['upload-artifacts']).toMatchObject({ type: 'boolean', default: false });
      const steps = Object.values(file.jobs).flatMap((j) => j.steps);
      const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact'));
      expect(uploads).toHaveLength(1);
      // Every upload is conditioned on the input (or the repository variable), joined by && to the rest.
      expect(uploads[0].if).toMatch(/&& \(inputs\.upload-artifacts \|\| vars\.CA_UPLOAD_ARTIFACTS == 'true'\) \}\}$/);
    });
  }
});
