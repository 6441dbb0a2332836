/**
 * Every `ca` command starts by loading only the command table, the config and the credentials: a
 * command's step (and with it compute, the models, the sandboxes, the HTTP client, the workbook writer,
 * the database client) is imported when that command runs. Each start costs every cron line, every
 * `ca status` and every test that runs the binary.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA, cleanEnv, REPO, removeDir, tempDir } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('ca-startup-');
});
afterAll(async () => {
  await removeDir(dir);
});

/**
 * What `ca <args>` loaded: every module's URL, with each file of the bundle (dist/bundle/, which
 * `bin/ca` runs) replaced by the modules the bundler put in it (dist/bundle/meta.json) as
 * `/dist/...` and `/node_modules/...` paths.
 */
async function loadedBy(args: string[], name: string, exitCode: number | 'any' = 0): Promise<string[]> {
  const file = join(dir, `${name}.txt`);
  const run = spawnSync(process.execPath, ['--import', join(REPO, 'tests/helpers/recordModules.mjs'), CA, ...args], {
    cwd: dir,
    env: cleanEnv({ RECORD_MODULES_TO: file }),
    encoding: 'utf8',
  });
  if (exitCode !== 'any') expect(run.status, run.stderr).toBe(exitCode);
  const meta = JSON.parse(await readFile(join(REPO, 'dist', 'bundle', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const bundle = pathToFileURL(join(REPO, 'dist', 'bundle')).href + '/';
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .flatMap((url) => {
      if (!url.startsWith(bundle)) return [url];
      const output = meta.outputs[`dist/bundle/${url.slice(bundle.length)}`];
      expect(output, `${url} is not in dist/bundle/meta.json`).toBeDefined();
      return Object.keys(output.inputs).map((input) => `/${input}`);
    });
}

const NOT_AT_START = [
  /\/dist\/app\/(?!context\.js|workspaceLock\.js)[^/]+Step\.js$/,
  /\/dist\/core\/(clv|compute)\//,
  /\/dist\/sandbox\//,
  /\/dist\/report\//,
  /\/dist\/export\//,
  /\/node_modules\/(undici|exceljs|pg|csv-stringify|date-fns)\//,
];

describe('start-up', () => {
  it.each([
    [['--version'], 'version'],
    [['update', '--help'], 'update-help'],
    [['demo', '--help'], 'demo-help'],
  ])('ca %j loads no step, model, sandbox, report, HTTP, workbook or database code', async (args, name) => {
    const loaded = await loadedBy(args, name);
    expect(loaded.includes('/dist/cli/main.js'), 'the recorder saw ca start').toBe(true);
    expect(loaded.filter((url) => NOT_AT_START.some((pattern) => pattern.test(url)))).toEqual([]);
  });

  it('a command loads its step when it runs: the recorder sees what is imported later', async () => {
    // No update has run here, so `ca status` reports it and exits non-zero; what matters is what it loaded.
    const loaded = await loadedBy(['status', '--json'], 'status', 'any');
    expect(loaded).toContain('/dist/app/statusStep.js');
  });
});
