import type { Files } from '../ports/host.js';
import { parseEnvFile } from './env-file.js';
import { isSecretName } from './variables.js';

/**
 * The secret variables of the workspace's .env (known secrets and secret-looking names) that have a
 * value. .env is where secrets live (docs/secrets.md); values go to Kubernetes Secrets, never to output.
 */
export async function envSecrets(files: Files): Promise<Record<string, string>> {
  const text = await files.read('.env');
  if (text === null) return {};
  return Object.fromEntries(
    [...parseEnvFile(text, '.env')]
      .filter(([name, e]) => e.value !== '' && isSecretName(name))
      .map(([name, e]) => [name, e.value]),
  );
}
