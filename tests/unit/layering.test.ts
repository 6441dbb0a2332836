/** The layering docs/design.md describes: imports go downwards, core stays pure, and no module imports one that imports it back. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Module (path below src/, .ts) -> what it imports: modules below src/ and bare specifiers. */
const graph = new Map<string, { local: string[]; external: string[] }>();
for (const file of files(SRC)) {
  const text = readFileSync(file, 'utf8');
  const local: string[] = [];
  const external: string[] = [];
  for (const [, spec] of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/g)) {
    if (spec.startsWith('.')) local.push(relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
    else external.push(spec);
  }
  graph.set(relative(SRC, file), { local, external });
}
const layer = (module: string) => module.split('/')[0];

describe('layering', () => {
  it('reads the source tree', () => {
    expect(graph.get('app/context.ts')?.local).toContain('config/load.ts');
  });

  it('only cli imports cli; the steps get their Context from app/', () => {
    const offenders = [...graph].filter(([m, d]) => layer(m) !== 'cli' && d.local.some((t) => layer(t) === 'cli')).map(([m]) => m);
    expect(offenders).toEqual([]);
  });

  it('core imports nothing outside core, and no fs, net or process', () => {
    const offenders = [...graph]
      .filter(([m]) => layer(m) === 'core')
      .flatMap(([m, d]) => [
        ...d.local.filter((t) => layer(t) !== 'core').map((t) => `${m} -> ${t}`),
        ...d.external.filter((t) => /^node:(fs|net|http|https|child_process|process)/.test(t)).map((t) => `${m} -> ${t}`),
      ]);
    expect(offenders).toEqual([]);
  });

  it('io imports only io and core', () => {
    const offenders = [...graph].filter(([m]) => layer(m) === 'io').flatMap(([m, d]) => d.local.filter((t) => !['io', 'core'].includes(layer(t))).map((t) => `${m} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it('has no import cycle, type imports included', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (m: string, path: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...path.slice(path.indexOf(m)), m].join(' -> '));
        return;
      }
      state.set(m, 'open');
      for (const t of graph.get(m)?.local ?? []) visit(t, [...path, m]);
      state.set(m, 'done');
    };
    for (const m of graph.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });
});
