// `npm run build`, after the compiler: bundles dist/ into dist/bundle/, which `bin/ca` runs. One file
// per entry (the CLI and the model worker thread), each command's step in a chunk of its own, loaded
// when the command runs. A start that loads ~250 modules one by one (the command table, the config
// schema, zod, libphonenumber) cost about 0.3 s of CPU on every `ca` run; bundled, about half.
// pg stays outside (loaded from node_modules by `ca export postgres` only; it names an optional native
// module the bundler cannot find). A CommonJS package imported lazily (undici) comes out of the bundle as
// its `default` export only, as src/io/http.ts reads it.
// dist/bundle/meta.json says which modules went into which file (tests/e2e/startup.test.ts reads it).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * archiver-utils 2 (under exceljs's workbook writer) still calls the deprecated `new Buffer()`. Node
 * prints DEP0005 for such a call only when it comes from outside node_modules, which in the bundle it
 * does: every `ca update` writing a workbook printed a DeprecationWarning. Its three calls become the
 * Buffer.alloc / Buffer.from they mean (the sizes are numbers, the source a string); a version with
 * other calls stops the build, to be looked at.
 */
const bufferCalls = {
  name: 'archiver-utils-buffer',
  setup(b) {
    b.onLoad({ filter: /[\\/]archiver-utils[\\/]index\.js$/ }, async ({ path }) => {
      const replacements = [
        ['new Buffer(size)', 'Buffer.alloc(size)'],
        ['new Buffer(0)', 'Buffer.alloc(0)'],
        ['new Buffer(source)', 'Buffer.from(source)'],
      ];
      let text = await readFile(path, 'utf8');
      if (!text.includes('new Buffer(')) return undefined; // a newer copy (zip-stream has one)
      for (const [from, to] of replacements) {
        if (text.split(from).length !== 2) throw new Error(`${path}: expected one \`${from}\``);
        text = text.replace(from, to);
      }
      if (text.includes('new Buffer(')) throw new Error(`${path}: a \`new Buffer(\` call this build does not know`);
      return { contents: text, loader: 'js' };
    });
  },
};

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
  plugins: [bufferCalls],
});
await writeFile('dist/bundle/meta.json', JSON.stringify(result.metafile));
