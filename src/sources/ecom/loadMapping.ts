/** Mapping files: a shipped preset by name, or a JSON file of the user's. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../../io/errors.js';
import { dateFormatProblem } from './dateParser.js';
import { packageRoot } from '../../packageRoot.js';
import { ecomMappingSchema, type EcomMapping } from './mappingSchema.js';

export const PRESETS = ['lightspeed-ecom', 'generic'] as const;


export function presetPath(name: string): string {
  return join(packageRoot(), 'presets', 'ecom', `${name}.json`);
}

/** `lightspeed-ecom`, `generic`, or a path to a JSON mapping file. */
export async function loadMapping(nameOrPath: string): Promise<EcomMapping> {
  const isPath = /[\\/]|\.json$/i.test(nameOrPath);
  if (!isPath && !(PRESETS as readonly string[]).includes(nameOrPath)) {
    throw new InputError(`unknown mapping preset "${nameOrPath}"`, {
      hint: `use one of ${PRESETS.join(', ')}, or the path of a JSON mapping file (docs/import-ecom.md)`,
    });
  }
  const path = isPath ? nameOrPath : presetPath(nameOrPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`mapping file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'check the path given with --mapping or ecom.mapping',
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`mapping file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseMapping(json, path);
}

/** Validates a mapping; every problem is named by its key. `label` says where it came from. */
export function parseMapping(value: unknown, label: string): EcomMapping {
  const result = ecomMappingSchema.safeParse(value);
  if (!result.success) {
    throw new InputError(`mapping ${label}: ${result.error.issues.map(describeIssue).join('; ')}`, {
      hint: 'see docs/import-ecom.md for every key of a mapping file',
    });
  }
  const mapping = result.data;
  const formats = typeof mapping.date_format === 'string' ? [mapping.date_format] : mapping.date_format;
  for (const format of formats) {
    const problem = dateFormatProblem(format);
    if (problem) {
      throw new InputError(`mapping ${label}: "date_format" "${format}" cannot be used: ${problem}`, {
        hint: 'date_format is "iso" or a date-fns format: yyyy year, MM month, dd day, HH hour, mm minute (not YYYY or DD)',
      });
    }
  }
  return mapping;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `unknown key "${at ? `${at}.` : ''}${key}"`).join('; ');
  }
  return `"${at || '(top level)'}" ${issue.message}`;
}
