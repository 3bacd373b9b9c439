// The workspace's configuration as a helper script reads it: the loader `foundation` uses (with a script's
// own flags as overrides), and its secrets masked in everything the script prints from then on. A module
// of its own, without the adapters, so the Kafka scripts load only this.
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../lib/config/load.js';
import { checkWorkspace, defaultWorkspace } from '../lib/config/workspace.js';
import type { RawValue } from '../lib/config/schema.js';
import { FoundationError } from '../lib/errors.js';
import { Redactor } from '../lib/redact.js';
import { useRedactor } from './run-script.js';

const emptyFlag = (flag: string): FoundationError =>
  new FoundationError('E_USAGE', `${flag} is empty: give a value, or leave it out`, 'see --help');

export interface ScriptConfig {
  readonly loaded: LoadedConfig;
  readonly redactor: Redactor;
  readonly workspace: string;
}

/** The workspace (the git repository around the current folder unless given), its config and redactor. */
export function scriptConfig(
  workspace: string | undefined,
  overrides: Readonly<Record<string, RawValue | undefined>> = {},
): ScriptConfig {
  // A flag given empty (`--name ''`, an unset shell variable) is a mistake, never the default (the loader
  // reads an empty value as unset: `cluster-destroy --name ''` would delete the default cluster). The CLI
  // refuses its own the same way (cli-app.ts).
  if (workspace?.trim() === '') throw emptyFlag('--workspace');
  for (const raw of Object.values(overrides))
    if (raw !== undefined && raw.source.startsWith('--') && raw.value.trim() === '')
      throw emptyFlag(raw.source);
  const dir = workspace === undefined ? defaultWorkspace(process.cwd()) : resolve(workspace);
  checkWorkspace(dir);
  const loaded = loadConfig({ workspace: dir, env: process.env, overrides });
  const redactor = new Redactor(loaded.secretValues);
  useRedactor(redactor);
  return { loaded, redactor, workspace: dir };
}
