// `npm run build`, after the compiler: bundles dist/ into dist/bundle/, which `bin/ca` runs. One file
// per entry (the CLI and the model worker thread), each command's step in a chunk of its own, loaded
// when the command runs. A start that loads ~250 modules one by one (the command table, the config
// schema, zod, libphonenumber) cost about 0.3 s of CPU on every `ca` run; bundled, about half.
// pg stays outside (loaded from node_modules by `ca export postgres` only; it names an optional native
// module the bundler cannot find). A CommonJS package imported lazily (undici) comes out of the bundle as
// its `default` export only, as src/io/http.ts reads it.
// dist/bundle/meta.json says which modules went into which file (tests/e2e/startup.test.ts reads it).
import { rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

// Chunk names carry a hash of their content: without this, every build would leave the last one's beside.
await rm('dist/bundle', { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'dist/cli/main.js', modelWorker: 'dist/app/modelWorker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pg'],
  // CommonJS packages in an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __caCreateRequire } from 'node:module'; const require = __caCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
await writeFile('dist/bundle/meta.json', JSON.stringify(result.metafile));
