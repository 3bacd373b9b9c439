import { parse } from 'dotenv';
import { FoundationError } from '../errors.js';
import { VARIABLES } from './variables.js';

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);

export interface EnvEntry {
  readonly value: string;
  /** 1-based line of the assignment. */
  readonly line: number;
}

/**
 * Parse a .env file strictly: every line is blank, a comment, or KEY=value (values may be quoted and
 * span lines). dotenv alone ignores lines it cannot read; a typo there would silently drop a setting.
 */
export function parseEnvFile(text: string, fileName: string): Map<string, EnvEntry> {
  const lines = text.split(/\r?\n/);
  const lineOf = new Map<string, number>();
  const problems: string[] = [];
  let open: { quote: string; line: number } | null = null;
  lines.forEach((line, index) => {
    if (open !== null) {
      if (line.includes(open.quote)) open = null;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = ASSIGNMENT.exec(trimmed);
    if (match === null) {
      problems.push(`line ${index + 1}: expected KEY=value, got ${JSON.stringify(trimmed.slice(0, 40))}`);
      return;
    }
    const [, key = '', value = ''] = match;
    lineOf.set(key, index + 1);
    const quote = value.charAt(0);
    if (QUOTES.has(quote) && !value.slice(1).includes(quote)) open = { quote, line: index + 1 };
  });
  const unterminated = open as { quote: string; line: number } | null;
  if (unterminated !== null) problems.push(`line ${unterminated.line}: quoted value is never closed`);
  if (problems.length > 0) {
    throw new FoundationError(
      'E_ENV_FILE_MALFORMED',
      `${fileName} is malformed:\n  - ${problems.join('\n  - ')}`,
      `edit ${fileName} so each setting is KEY=value (quote values with spaces or # in them)`,
    );
  }
  const values = parse(text);
  return new Map(Object.entries(values).map(([key, value]) => [key, { value, line: lineOf.get(key) ?? 0 }]));
}

export interface EnvChange {
  readonly name: string;
  /** `add`: copied from .env.example; `generate`: a new strong secret. */
  readonly kind: 'add' | 'generate';
}

export interface EnvPlan {
  readonly changes: readonly EnvChange[];
  /** The new .env text; equal to the current text when there are no changes. */
  readonly text: string;
}

const HEADER = '# Created by `foundation run 0-1` from .env.example. Never commit this file.\n';

function generated(name: string): boolean {
  return VARIABLES.some((v) => v.name === name && v.generate === true);
}

/**
 * What .env needs so it has every variable of .env.example. Pure. Never overwrites a value that is set:
 * existing lines stay as they are; empty generated secrets are filled in; missing variables are appended
 * with their comments from .env.example.
 */
export function planEnvFile(example: string, current: string | null, generate: () => string): EnvPlan {
  const have = current === null ? new Map<string, EnvEntry>() : parseEnvFile(current, '.env');
  const exampleLines = example.split(/\r?\n/);
  const want = parseEnvFile(example, '.env.example');
  const lines = current === null ? [HEADER.trimEnd()] : current.replace(/\n$/, '').split(/\r?\n/);
  const changes: EnvChange[] = [];
  for (const [name, entry] of want) {
    const existing = have.get(name);
    if (existing !== undefined && existing.value !== '') continue;
    if (existing !== undefined) {
      if (!generated(name)) continue; // deliberately empty: the user's choice
      lines[existing.line - 1] = `${name}=${generate()}`;
      changes.push({ name, kind: 'generate' });
      continue;
    }
    const comments: string[] = [];
    for (let i = entry.line - 2; i >= 0 && (exampleLines[i] ?? '').trim().startsWith('#'); i--) {
      comments.unshift(exampleLines[i] ?? '');
    }
    const line = exampleLines[entry.line - 1] ?? `${name}=`;
    const secret = generated(name) && entry.value === '';
    lines.push('', ...comments, secret ? `${name}=${generate()}` : line.trim());
    changes.push({ name, kind: secret ? 'generate' : 'add' });
  }
  if (changes.length === 0) return { changes, text: current ?? '' };
  return { changes, text: `${lines.join('\n')}\n` };
}
