import type { Files } from '../ports/host.js';
import { parseEnvFile } from './env-file.js';
import { VARIABLES, isSecretName } from './variables.js';

/**
 * The secret variables of the workspace's .env (known secrets and secret-looking names) that have a
 * value, each as the environment overrides it: the environment wins over .env for secrets too, as for
 * every setting. .env is where secrets live (docs/secrets.md); values go to Kubernetes Secrets, never to
 * output. Foundation's own secrets (GRAFANA_ADMIN_PASSWORD…) count when set only in the environment.
 */
export async function envSecrets(
  files: Files,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, string>> {
  const text = await files.read('.env');
  const fromFile =
    text === null
      ? new Map<string, string>()
      : new Map([...parseEnvFile(text, '.env')].map(([name, e]) => [name, e.value]));
  const names = new Set([
    ...[...fromFile.keys()].filter(isSecretName),
    ...VARIABLES.filter((v) => v.secret === true).map((v) => v.name),
  ]);
  const out: Record<string, string> = {};
  for (const name of names) {
    const set = env[name];
    const value = set !== undefined && set !== '' ? set : (fromFile.get(name) ?? ''); // empty: absent
    if (value !== '') out[name] = value;
  }
  return out;
}
