#!/usr/bin/env node
/**
 * What each start of `ca` costs, the way cron lines, `ca status` checks and the test suite pay it: CPU
 * seconds (user + system, GNU time) of the real binary for `ca --version`, `ca status --json` in a
 * workspace, and a `ca update` with nothing new (after a first one) against the sandboxes `ca demo`
 * starts. Each runs `--runs` times and the median is printed, for `bin/ca` (the bundle in dist/bundle/)
 * and for the same code loaded module by module from dist/ (what `bin/ca` ran before the bundle), with
 * the ratio.
 *
 *   npm run build && node bench/startup.mjs [--runs=7]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
const binaries = { bundle: join(root, 'bin', 'ca'), modules: unbundled };

/** CPU seconds of one run; the sandboxes are served by this process, so the child must not block it. */
function cpuOf(binary, argv, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '__time %U %S', process.execPath, binary, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
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
  await cpuOf(binaries.bundle, ['--workspace', workspace, 'update'], work, env);
  const commands = {
    'ca --version': ['--version'],
    'ca status --json': ['--workspace', workspace, 'status', '--json'],
    'ca update (nothing new)': ['--workspace', workspace, 'update'],
  };
  console.log(`CPU seconds per run, median of ${runs}`);
  console.log(`${'command'.padEnd(26)}${'bundle'.padStart(8)}${'modules'.padStart(9)}${'ratio'.padStart(8)}`);
  for (const [label, argv] of Object.entries(commands)) {
    const figures = {};
    for (const [name, binary] of Object.entries(binaries)) {
      const seconds = [];
      for (let k = 0; k < runs; k++) seconds.push(await cpuOf(binary, argv, work, env));
      figures[name] = median(seconds);
    }
    console.log(`${label.padEnd(26)}${figures.bundle.toFixed(2).padStart(8)}${figures.modules.toFixed(2).padStart(9)}${(figures.bundle / figures.modules).toFixed(2).padStart(8)}`);
  }
} finally {
  await sandboxes.close();
  await rm(work, { recursive: true, force: true });
}
