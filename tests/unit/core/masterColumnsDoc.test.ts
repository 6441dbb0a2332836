/** docs/metrics.md lists every master column, in order, with the definition src/core/masterColumns.ts declares. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MASTER_COLUMNS, masterColumnsMarkdown } from '../../../src/core/masterColumns.js';

const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');

describe('docs/metrics.md column table', () => {
  it('is the declaration, column by column and in order (`npm run docs:columns` rewrites it)', () => {
    const rows = doc
      .split('\n')
      .filter((line) => /^\| `[a-z0-9_]+` \| [a-z]+ \| /.test(line))
      .map((line) => {
        const [, name, type, definition] = /^\| `([a-z0-9_]+)` \| ([a-z]+) \| (.*) \|$/.exec(line)!;
        return { name, type, definition: definition.replace(/\\\|/g, '|') };
      });
    expect(rows).toEqual(MASTER_COLUMNS.map(({ name, type, definition }) => ({ name, type, definition })));
  });

  it('holds the table exactly as written from the declaration', () => {
    expect(doc).toContain(masterColumnsMarkdown());
  });

  it('every column has a one-line definition and a number column its decimals', () => {
    for (const column of MASTER_COLUMNS) {
      expect(column.definition, column.name).toMatch(/^\S.*\S$/);
      expect(column.definition, column.name).not.toContain('\n');
      if (column.type === 'number') expect(column.decimals, column.name).toBeGreaterThanOrEqual(0);
    }
  });
});
