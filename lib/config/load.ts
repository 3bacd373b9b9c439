import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { parseEnvFile } from './env-file.js';
import { envWarnings } from './env-warnings.js';
import { MIN_SECRET_LENGTH } from '../redact.js';
import { parseConfig, secretForms, type ParsedConfig, type RawValue } from './schema.js';
import { VARIABLES, isSecretName } from './variables.js';

export interface LoadOptions {
  /** The workspace: where `.env` is read from. */
  readonly workspace: string;
  /** The process environment (wins over .env, as with dotenv). */
  readonly env: NodeJS.ProcessEnv;
  /** Command-line overrides, e.g. `--target`, `--concurrency` (win over both). */
  readonly overrides?: Readonly<Record<string, RawValue | undefined>>;
}

/** The configuration, and what in .env looks like a mistake without being one (a name set twice, a typo). */
export type LoadedConfig = ParsedConfig & { readonly warnings: readonly string[] };

/** Read `.env` and the environment once, validate, and return the frozen Config plus the secret values. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const raw = new Map<string, RawValue>();
  const path = join(options.workspace, '.env');
  let text: string | null = null;
  try {
    // A named pipe or a device would block this read for good, Ctrl+C included: only a file is read.
    const kind = statSync(path);
    if (!kind.isFile() && !kind.isDirectory())
      throw new FoundationError(
        'E_ENV_FILE_MALFORMED',
        `${path} is not a file (a named pipe, a socket or a device)`,
        `replace it with a file: rm ${path}; foundation run 0-1 writes .env from .env.example`,
      );
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof FoundationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw new FoundationError(
        'E_ENV_FILE_MALFORMED',
        `${path} cannot be read (${code === 'EISDIR' ? 'it is a folder' : (code ?? String(error))})`,
        code === 'EISDIR'
          ? `remove the folder (rmdir ${path}); foundation run 0-1 writes .env from .env.example`
          : `make ${path} a readable file (ls -l ${path})`,
      );
  }
  let warnings: string[] = [];
  if (text !== null) {
    const entries = parseEnvFile(text, '.env');
    for (const [name, entry] of entries) {
      raw.set(name, { value: entry.value, source: `.env line ${entry.line}` });
    }
    warnings = envWarnings(
      entries,
      VARIABLES.map((v) => v.name),
    );
  }
  // A secret .env holds that the environment overrides is still in .env, where a step may print it: masked too.
  const shadowed: string[] = [];
  for (const [name, value] of Object.entries(options.env)) {
    // An empty variable (`export X=`, a CI secret that is not defined) is absent: it does not erase .env's.
    if (value !== undefined && value !== '' && (raw.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name))) {
      const before = raw.get(name)?.value;
      if (before !== undefined && before !== '' && before !== value)
        shadowed.push(...secretForms(name, before));
      raw.set(name, { value, source: 'the environment' });
    }
  }
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) raw.set(name, value);
  }
  const parsed = withWarnings(() => parseConfig(raw), warnings);
  return {
    ...parsed,
    secretValues: Object.freeze([...parsed.secretValues, ...shadowed]),
    warnings: [...warnings, ...shortSecrets(raw)],
  };
}

/**
 * An invalid setting with the .env warnings about it beside it (a value cut at its "#" is what makes a
 * secret too short; a name set twice, which line wins); the others are counted, as they are otherwise
 * shown only once the configuration is valid. An error that names no setting gets them all. Pure.
 */
export function errorNotes(message: string, warnings: readonly string[]): string {
  const named = [...message.matchAll(/^\s*- ([A-Z][A-Z0-9_]*)\b/gm)].map((m) => m[1] ?? '');
  const about = (w: string): boolean => named.some((n) => new RegExp(`\\b${n}\\b`).test(w));
  const relevant = named.length === 0 ? warnings : warnings.filter(about);
  const others = warnings.length - relevant.length;
  const more =
    others > 0
      ? `\n  (${others} more .env warning${others === 1 ? '' : 's'} about other settings, shown once the configuration is valid)`
      : '';
  return `${relevant.map((w) => `\n  note: ${w}`).join('')}${more}`;
}

function withWarnings<T>(parse: () => T, warnings: readonly string[]): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof FoundationError) || warnings.length === 0) throw error;
    const notes = errorNotes(error.message, warnings);
    throw new FoundationError(error.code, `${error.message}${notes}`, error.fix, { cause: error });
  }
}

/** Secret values too short to be masked in output: named (never shown), so the user can lengthen them. */
function shortSecrets(raw: ReadonlyMap<string, RawValue>): string[] {
  return [...raw.entries()]
    .filter(
      ([name, { value, source }]) =>
        value !== '' &&
        value.length < MIN_SECRET_LENGTH &&
        isSecretName(name) &&
        // Names the shell happens to export are not Foundation's business unless they are its own settings.
        (source.startsWith('.env') || VARIABLES.some((v) => v.name === name)),
    )
    .map(
      ([name, { source }]) =>
        `${name} (${source}) is shorter than ${MIN_SECRET_LENGTH} characters: output cannot mask a value that short, so it may appear in logs; use a longer secret`,
    );
}
