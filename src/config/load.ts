/**
 * Config precedence: defaults < `ca.config.json` < environment < command-line flags. The sources'
 * credentials are read from the environment by their registry entries (src/sources/registry.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../io/errors.js';
import { configSchema, type Config } from './schema.js';

/** Reads and validates the config file; a missing default file is fine, a missing named one is not. */
export async function loadConfig(path: string | undefined, cwd: string): Promise<{ config: Config; path?: string }> {
  const file = resolve(cwd, path ?? 'ca.config.json');
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }
  let raw: unknown = {};
  if (text !== undefined) {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  return { config: parseConfig(raw, text === undefined ? 'defaults' : file), path: text === undefined ? undefined : file };
}

export function parseConfig(raw: unknown, origin: string): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`${origin}: ${describeIssues(result.error)}`);
  return result.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys.map((k) => (path ? `${path}.${k}` : k));
        return `unknown key ${keys.join(', ')}`;
      }
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
