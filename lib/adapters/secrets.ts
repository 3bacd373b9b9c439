import { randomBytes } from 'node:crypto';
import { envSecrets } from '../config/env-secrets.js';
import type { Files, Secrets } from '../ports/host.js';
import type { Redactor } from '../redact.js';

/**
 * Generated secrets are 32 random bytes (256 bits) as base64url: 43 characters, safe unquoted in .env and
 * YAML. `env` is the environment the configuration was loaded from, so tasks never read process.env.
 */
export function createSecrets(
  redactor: Redactor,
  files: Files,
  env: Readonly<Record<string, string | undefined>>,
): Secrets {
  return {
    generate() {
      const value = randomBytes(32).toString('base64url');
      redactor.add(value);
      return value;
    },
    values: () => envSecrets(files, env),
  };
}
