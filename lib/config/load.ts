import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile } from './env-file.js';
import { parseConfig, type ParsedConfig, type RawValue } from './schema.js';

export interface LoadOptions {
  /** The workspace: where `.env` is read from. */
  readonly workspace: string;
  /** The process environment (wins over .env, as with dotenv). */
  readonly env: NodeJS.ProcessEnv;
  /** Command-line overrides, e.g. `--target`, `--concurrency` (win over both). */
  readonly overrides?: Readonly<Record<string, RawValue | undefined>>;
}

/** Read `.env` and the environment once, validate, and return the frozen Config plus the secret values. */
export function loadConfig(options: LoadOptions): ParsedConfig {
  const raw = new Map<string, RawValue>();
  const path = join(options.workspace, '.env');
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    for (const [name, entry] of parseEnvFile(text, '.env')) {
      raw.set(name, { value: entry.value, source: `.env line ${entry.line}` });
    }
  }
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined && (raw.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name))) {
      raw.set(name, { value, source: 'the environment' });
    }
  }
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) raw.set(name, value);
  }
  return parseConfig(raw);
}
