/** Config precedence: defaults < `ca.config.json` < environment < command-line flags. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../io/errors.js';
import { registerSecret } from '../io/redact.js';
import { configSchema, type Config } from './schema.js';

export interface Credentials {
  lightspeed?: { baseUrl: string; token: string };
  square?: { baseUrl: string; token: string };
}

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

const env = (environment: NodeJS.ProcessEnv, ...names: string[]) => {
  for (const name of names) {
    const value = environment[name]?.trim();
    if (value) return value;
  }
  return undefined;
};

/**
 * Tokens and endpoints from the environment. A source is configured when its token is set; every
 * token is registered for redaction before anything can print it.
 */
export function credentialsFromEnv(environment: NodeJS.ProcessEnv): Credentials {
  const credentials: Credentials = {};
  const lsToken = env(environment, 'LIGHTSPEED_TOKEN', 'EXPO_PUBLIC_LIGHTSPEED_TOKEN');
  registerSecret(lsToken);
  if (lsToken) {
    const prefix = env(environment, 'LIGHTSPEED_DOMAIN_PREFIX', 'EXPO_PUBLIC_LIGHTSPEED_DOMAIN_PREFIX');
    const given = env(environment, 'LIGHTSPEED_BASE_URL');
    if (!given && prefix && !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(prefix)) {
      const variable = environment.LIGHTSPEED_DOMAIN_PREFIX ? 'LIGHTSPEED_DOMAIN_PREFIX' : 'EXPO_PUBLIC_LIGHTSPEED_DOMAIN_PREFIX';
      const host = /^(?:https?:\/\/)?([a-z0-9-]+)\.retail\.lightspeed\.app\/?$/i.exec(prefix);
      throw new ConfigError(`${variable} is "${prefix}": it takes the store prefix alone, not a URL or host name`, {
        hint: host ? `set ${variable}=${host[1]}` : 'set it to mystore for https://mystore.retail.lightspeed.app, or put a whole URL in LIGHTSPEED_BASE_URL',
      });
    }
    const baseUrl = given ?? (prefix ? `https://${prefix}.retail.lightspeed.app` : undefined);
    if (!baseUrl) {
      throw new ConfigError('LIGHTSPEED_TOKEN is set but neither LIGHTSPEED_DOMAIN_PREFIX nor LIGHTSPEED_BASE_URL is', {
        hint: 'set LIGHTSPEED_DOMAIN_PREFIX to your store prefix (mystore in mystore.retail.lightspeed.app)',
      });
    }
    credentials.lightspeed = { baseUrl, token: lsToken };
  }
  const sqToken = env(environment, 'SQUARE_ACCESS_TOKEN');
  registerSecret(sqToken);
  if (sqToken) {
    const environmentName = env(environment, 'SQUARE_ENVIRONMENT') ?? 'production';
    if (environmentName !== 'production' && environmentName !== 'sandbox') {
      throw new ConfigError(`SQUARE_ENVIRONMENT must be production or sandbox, not ${environmentName}`);
    }
    const baseUrl =
      env(environment, 'SQUARE_BASE_URL') ??
      (environmentName === 'sandbox' ? 'https://connect.squareupsandbox.com' : 'https://connect.squareup.com');
    credentials.square = { baseUrl, token: sqToken };
  }
  return credentials;
}
