/** Reading our own master back (stats, customer look-ups, status), with inert cells restored. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { restoreInert } from '../core/csvSafety.js';
import { InputError } from './errors.js';

export async function* masterRows(path: string): AsyncGenerator<Record<string, string>> {
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: true }));
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      for (const key of Object.keys(row)) row[key] = restoreInert(row[key]);
      yield row;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`no master at ${path}`, { hint: 'run `ca update` (or `ca demo`) first' });
    }
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
}
