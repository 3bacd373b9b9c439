import { parse } from 'dotenv';
import { FoundationError } from '../errors.js';
import { VARIABLES } from './variables.js';

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);
/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 10;

export interface EnvEntry {
  readonly value: string;
  /** 1-based line of the assignment (the last, when there are several: the last one wins). */
  readonly line: number;
  /** Every line that assigns it, when there is more than one. */
  readonly lines?: readonly number[];
  /** Unquoted with a `#` inside a word (`abc#def`): read up to it, the rest taken for a comment. */
  readonly cutAtHash?: true;
}

/** A known variable the text was probably meant to name (`grafana-admin-password` → GRAFANA_ADMIN_PASSWORD). */
function meantVariable(text: string): string | undefined {
  const normalised = text
    .trim()
    .replace(/^export\s+/, '')
    .toUpperCase()
    .replace(/[-. ]/g, '_');
  return VARIABLES.find((v) => v.name === normalised)?.name;
}

/**
 * What is wrong with a line that is not `KEY=value`, in words that quote nothing from it: such a line is
 * often a secret pasted without its key, or the tail of an unquoted multi-line value. Only a name from the
 * variable table may be named (when the line's name is a near miss of it). Pure.
 */
export function describeMalformedLine(trimmed: string): string {
  const eq = trimmed.indexOf('=');
  const firstWord = trimmed.split(/\s/)[0] ?? '';
  if (eq === -1) {
    const meant = meantVariable(firstWord);
    return meant !== undefined
      ? `not a KEY=value assignment (there is no "=" after ${meant})`
      : 'not a KEY=value assignment (there is no "=" on this line)';
  }
  if (trimmed.slice(0, eq).trim() === '') return 'there is no variable name before "="';
  const meant = meantVariable(trimmed.slice(0, eq)) ?? meantVariable(firstWord);
  return meant !== undefined
    ? `the name before "=" is not a valid variable name (did you mean ${meant}?)`
    : 'the text before "=" is not a variable name (letters, digits and _, not starting with a digit)';
}

/**
 * `c2VjcmV0LXZhbHVl=`: base64 with one "=" of padding reads as a variable with an empty value. A name that
 * long mixing upper and lower case and digits, with no "_", is a secret pasted alone, not a variable.
 */
function looksLikeAValue(key: string): boolean {
  return key.length >= 16 && !key.includes('_') && /[a-z]/.test(key) && /[A-Z]/.test(key) && /\d/.test(key);
}

/**
 * Parse a .env file strictly: every line is blank, a comment, or KEY=value (values may be quoted and
 * span lines). dotenv alone ignores lines it cannot read; a typo there would silently drop a setting.
 * Errors name the file, the line and the variable when one can be read — never any part of a value.
 */
export function parseEnvFile(text: string, fileName: string): Map<string, EnvEntry> {
  const lines = text.split(/\r?\n/);
  const lineOf = new Map<string, number>();
  const linesOf = new Map<string, number[]>();
  const problems: string[] = [];
  const cut = new Set<string>();
  let open: { quote: string; line: number; key: string } | null = null;
  lines.forEach((line, index) => {
    if (open !== null) {
      if (line.includes(open.quote)) open = null;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = ASSIGNMENT.exec(trimmed);
    if (match === null) {
      problems.push(`line ${index + 1}: ${describeMalformedLine(trimmed)}`);
      return;
    }
    const [, key = '', value = ''] = match;
    if (/^=+$/.test(value) || (value === '' && looksLikeAValue(key))) {
      // `abc123==`: base64 padding, so a secret pasted without its name, not a variable called abc123.
      problems.push(
        value === ''
          ? `line ${index + 1}: looks like a value pasted without its name (a long mix of letters and digits, then "="); name it: KEY=value`
          : `line ${index + 1}: looks like a value pasted without its name (it ends in "=" padding); to mean a value of "=", quote it`,
      );
      return;
    }
    lineOf.set(key, index + 1);
    linesOf.set(key, [...(linesOf.get(key) ?? []), index + 1]);
    const quote = value.charAt(0);
    // dotenv reads `pw=abc#def` as abc and `pw=#abc` as empty (a shell would keep both whole); a # after a
    // space is a comment meant.
    if (!QUOTES.has(quote) && /(^|[^\s#])#/.test(value) && !/^#\s*$/.test(value)) cut.add(key);
    else cut.delete(key);
    if (QUOTES.has(quote) && !value.slice(1).includes(quote)) open = { quote, line: index + 1, key };
  });
  const unterminated = open as { quote: string; line: number; key: string } | null;
  if (unterminated !== null) {
    problems.push(
      `line ${unterminated.line}: the value of ${unterminated.key} opens a ${unterminated.quote} quote that is never closed`,
    );
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more line(s)`);
    throw new FoundationError(
      'E_ENV_FILE_MALFORMED',
      `${fileName} is malformed (values are never shown):\n  - ${shown.join('\n  - ')}`,
      `edit ${fileName} at the line(s) named: each setting is KEY=value on one line; quote a value with spaces, # or line breaks in it ("…"); a secret pasted on a line of its own needs its KEY=`,
    );
  }
  const values = parse(text);
  return new Map(
    Object.entries(values).map(([key, value]) => {
      const lines = linesOf.get(key) ?? [];
      return [
        key,
        {
          value,
          line: lineOf.get(key) ?? 0,
          ...(lines.length > 1 ? { lines } : {}),
          ...(cut.has(key) ? { cutAtHash: true as const } : {}),
        },
      ];
    }),
  );
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
  /**
   * Secrets that read as empty only because their unquoted value starts with `#` (`PW=#abc`): the user
   * set them, so no value is generated over them (it would lose theirs); they must be quoted first.
   */
  readonly cutSecrets: readonly {
    readonly name: string;
    readonly line: number;
    /** Set instead on this earlier line, then emptied on `line` (the last line wins): also the user's. */
    readonly earlier?: number;
  }[];
}

const HEADER = '# Created by `foundation run 0-1` from .env.example. Never commit this file.\n';

function generated(name: string): boolean {
  return VARIABLES.some((v) => v.name === name && v.generate === true);
}

/**
 * What .env needs so it has every variable of .env.example. Pure. Never overwrites a value that is set:
 * existing lines stay as they are; empty generated secrets are filled in (not those empty only up to an
 * unquoted `#`: cutSecrets); missing variables are appended with their comments from .env.example.
 */
export function planEnvFile(
  example: string,
  current: string | null,
  generate: () => string,
  /** Values chosen for this run (the target given with --target), written instead of the example's when added. */
  chosen: Readonly<Record<string, string>> = {},
): EnvPlan {
  const have = current === null ? new Map<string, EnvEntry>() : parseEnvFile(current, '.env');
  const exampleLines = example.split(/\r?\n/);
  const want = parseEnvFile(example, '.env.example');
  const lines = current === null ? [HEADER.trimEnd()] : current.replace(/\r?\n$/, '').split(/\r?\n/);
  const eol = current?.includes('\r\n') === true ? '\r\n' : '\n'; // a CRLF file stays CRLF
  const changes: EnvChange[] = [];
  const cutSecrets: { name: string; line: number; earlier?: number }[] = [];
  for (const [name, entry] of want) {
    const existing = have.get(name);
    if (existing !== undefined && existing.value !== '') continue;
    if (existing !== undefined) {
      if (!generated(name)) continue; // deliberately empty: the user's choice
      if (existing.cutAtHash === true) {
        cutSecrets.push({ name, line: existing.line });
        continue;
      }
      // Set on an earlier line, emptied on a later one: generating would replace the user's value.
      const assigned = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=\\s*(\\S.*)$`);
      const earlier = (existing.lines ?? [])
        .slice(0, -1)
        .find((l) => !(assigned.exec(lines[l - 1] ?? '')?.[1] ?? '#').startsWith('#'));
      if (earlier !== undefined) {
        cutSecrets.push({ name, line: existing.line, earlier });
        continue;
      }
      lines[existing.line - 1] = `${name}=${generate()}`;
      changes.push({ name, kind: 'generate' });
      continue;
    }
    const comments: string[] = [];
    for (let i = entry.line - 2; i >= 0 && (exampleLines[i] ?? '').trim().startsWith('#'); i--) {
      comments.unshift(exampleLines[i] ?? '');
    }
    const pick = chosen[name];
    const line = pick !== undefined ? `${name}=${pick}` : (exampleLines[entry.line - 1] ?? `${name}=`);
    const secret = generated(name) && entry.value === '';
    lines.push('', ...comments, secret ? `${name}=${generate()}` : line.trim());
    changes.push({ name, kind: secret ? 'generate' : 'add' });
  }
  if (changes.length === 0) return { changes, text: current ?? '', cutSecrets };
  return { changes, text: `${lines.join(eol)}${eol}`, cutSecrets };
}
