// Writes the master column table of docs/metrics.md from src/core/masterColumns.ts (run after a build:
// `npm run docs:columns`). tests/unit/core/masterColumnsDoc.test.ts fails while the two differ.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { masterColumnsMarkdown } from '../dist/core/masterColumns.js';

const path = fileURLToPath(new URL('../docs/metrics.md', import.meta.url));
const START = '<!-- master columns: from src/core/masterColumns.ts, written by `npm run docs:columns` -->\n';
const END = '<!-- end of master columns -->\n';
const doc = await readFile(path, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`${path}: the master column markers are missing`);
await writeFile(path, doc.slice(0, from + START.length) + masterColumnsMarkdown() + doc.slice(to));
console.log(`${path}: master columns written`);
