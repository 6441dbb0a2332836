#!/usr/bin/env node
/**
 * What each start of `ca` costs, the way cron lines, `ca status` checks and the test suite pay it: CPU
 * seconds (user + system, GNU time) of the real binary for `ca --version`, `ca status --json` in a
 * workspace, a first `ca update` (a new workspace each run) and a `ca update` with nothing new (after a
 * first one) against the sandboxes `ca demo` starts, and `ca compute` of a generated 100,000-customer,
 * 1,000,000-order store. Each runs `--runs` times and the median is printed, for:
 * - `bin/ca`: the bundle in dist/bundle/, with the optimizing budget bin/ca sets (8x V8's default);
 * - the same bundle at V8's default budget (`node --interrupt-budget=67584 bin/ca`);
 * - the same code loaded module by module from dist/ (what `bin/ca` ran before the bundle), at V8's
 *   default budget;
 * and the ratios of `bin/ca` to each.
 *
 *   npm run build && node bench/startup.mjs [--runs=7]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateStore } from './generateStore.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const runs = Number(args.runs ?? 7);
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync('/usr/bin/time')) throw new Error('bench/startup.mjs needs GNU time (/usr/bin/time) for the CPU seconds');
if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) throw new Error('dist/bundle/ is missing: run `npm run build` first');
const { startSandboxes } = await import(pathToFileURL(join(root, 'dist', 'app', 'sandboxes.js')).href);

const work = await mkdtemp(join(tmpdir(), 'ca-bench-startup-'));
// The same `main` as bin/ca, imported from the compiler's output instead of the bundle.
const unbundled = join(work, 'ca-unbundled.mjs');
await writeFile(
  unbundled,
  `import { main } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href)};\nmain(process.argv).then((code) => { process.exitCode = code; });\n`,
);
const V8_DEFAULT_BUDGET = '--interrupt-budget=67584';
const variants = {
  'bin/ca': [join(root, 'bin', 'ca')],
  'default budget': [V8_DEFAULT_BUDGET, join(root, 'bin', 'ca')],
  modules: [V8_DEFAULT_BUDGET, unbundled],
};

/** CPU seconds of one run; the sandboxes are served by this process, so the child must not block it. */
function cpuOf(command, argv, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__time %U %S', process.execPath, ...command, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /__time ([\d.]+) ([\d.]+)/.exec(stderr);
      if (!match || (code !== 0 && !argv.includes('status'))) return reject(new Error(`ca ${argv.join(' ')} exited ${code}:\n${stderr}`));
      resolve(Number(match[1]) + Number(match[2]));
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const sandboxes = await startSandboxes({});
try {
  const env = sandboxes.env;
  const workspace = join(work, 'shop');
  await mkdir(workspace);
  // Square at the pace `ca demo` uses against its local sandbox (the default, 10 a second, is for Square).
  await writeFile(join(workspace, 'ca.config.json'), JSON.stringify({ square: { maxRequestsPerSecond: 100 } }));
  await cpuOf(variants['bin/ca'], ['--workspace', workspace, 'update'], work, env);
  const store = join(work, 'store-100000');
  await generateStore(store, { customers: 100_000, orders: 1_000_000 });
  let fresh = 0;
  const commands = {
    'ca --version': () => ['--version'],
    'ca status --json': () => ['--workspace', workspace, 'status', '--json'],
    'ca update (first)': () => {
      const first = join(work, `first-${fresh++}`);
      mkdirSync(first);
      writeFileSync(join(first, 'ca.config.json'), JSON.stringify({ square: { maxRequestsPerSecond: 100 } }));
      return ['--workspace', first, 'update'];
    },
    'ca update (nothing new)': () => ['--workspace', workspace, 'update'],
    'ca compute (100,000)': () => ['--data-dir', store, 'compute', '--as-of=2026-06-30T00:00:00Z'],
  };
  console.log(`CPU seconds per run, median of ${runs}; runs of the variants take turns`);
  const names = Object.keys(variants);
  console.log(`${'command'.padEnd(26)}${names.map((n) => n.padStart(16)).join('')}${'/ default budget'.padStart(18)}${'/ modules'.padStart(11)}`);
  for (const [label, argv] of Object.entries(commands)) {
    const seconds = Object.fromEntries(names.map((name) => [name, []]));
    for (let k = 0; k < runs; k++) for (const name of names) seconds[name].push(await cpuOf(variants[name], argv(), work, env));
    const m = Object.fromEntries(names.map((name) => [name, median(seconds[name])]));
    const ratio = (other) => (m['bin/ca'] / m[other]).toFixed(2).padStart(other === 'modules' ? 11 : 18);
    console.log(`${label.padEnd(26)}${names.map((n) => m[n].toFixed(2).padStart(16)).join('')}${ratio('default budget')}${ratio('modules')}`);
  }
} finally {
  await sandboxes.close();
  await rm(work, { recursive: true, force: true });
}
