/**
 * This package's folder: the nearest folder above the running code that holds `bin/ca` and
 * `package.json`. The code runs from `src/` (tests), `dist/` (the compiler's output) or `dist/bundle/`
 * (what `bin/ca` runs), each at another depth, so no fixed `../..` fits them all.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'ca')) && existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`no folder above ${here} holds bin/ca and package.json`);
  }
}

/** The `bin/ca` of this package. */
export const ownBin = (): string => join(packageRoot(), 'bin', 'ca');
