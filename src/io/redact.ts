/**
 * The last line of defence for secrets: every token `ca` was given is registered here at start-up and
 * masked in anything written to logs, errors, run logs and reports.
 */
const secrets = new Set<string>();

/** Secrets shorter than this are not masked: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  // Bearer/Basic credentials in echoed headers, whatever their value.
  return out.replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"',}]+/gi, '$1***');
}
