import { randomBytes } from 'node:crypto';
import type { Secrets } from '../ports/host.js';
import type { Redactor } from '../redact.js';

/** 32 random bytes (256 bits) as base64url: 43 characters, safe unquoted in .env and YAML. */
export function createSecrets(redactor: Redactor): Secrets {
  return {
    generate() {
      const value = randomBytes(32).toString('base64url');
      redactor.add(value);
      return value;
    },
  };
}
