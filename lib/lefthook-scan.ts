// Whether a lefthook.yml runs a secret scan before each commit (task 0-1's check, validate's REQ-0.6/AC3).
import { parseYaml } from './yaml-text.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A hook's entries (commands, jobs, scripts) as records, with a map's key as `name`. */
const entries = (node: unknown): Record<string, unknown>[] => {
  if (Array.isArray(node)) return (node as unknown[]).filter(isRecord);
  if (!isRecord(node)) return [];
  return Object.entries(node).map(([name, e]) => ({ name, ...(isRecord(e) ? e : {}) }));
};

/** Commands that name a program without running it as a scan: print it, find it, install it, read it. */
const NOT_RUN = new Set([
  'echo',
  'printf',
  ':',
  'true',
  'which',
  'type',
  'command',
  'ls',
  'cat',
  'brew',
  'apt',
  'apt-get',
]);

/** The scan as a word: a path or image before it, a `.sh`, an image tag or npm version after it. */
const SCAN = /(?:^|[\s/"'=])(?:secret-scan(?:\.sh)?|gitleaks)(?::[\w.-]+|@[\w.-]+)?["']?(?:\s+(\S+)|$)/;

/** Its exit code thrown away: the hook cannot block then. */
const FORGIVEN = /\|\|\s*(?:true|:|exit\s+0)\b|;\s*(?:true|exit\s+0)\s*$/;

/**
 * A shell command that runs the scan so it can block a commit: one of its commands (split at ;, &&, ||,
 * | and new lines) runs `secret-scan` or `gitleaks` (behind any wrapper: bash, sh -c, npx, exec, docker
 * run with an image tag), not one that prints, finds, installs or reads it, nor `gitleaks version`; and
 * the command does not throw its exit code away (`|| true`, `; exit 0`). Pure.
 */
export function runsScan(command: string): boolean {
  if (FORGIVEN.test(command)) return false;
  return command
    .split(/&&|\|\||[;|\n]/)
    .map((part) => part.trim())
    .some((part) => {
      const first = part.split(/\s+/)[0] ?? '';
      const m = SCAN.exec(part);
      if (m === null || NOT_RUN.has(first) || first.startsWith('#')) return false;
      return !/^(?:version|help|--version|-v|--help|-h)$/.test(m[1] ?? '');
    });
}

/** A hook's entries, a group's jobs included. */
const allEntries = (node: unknown): Record<string, unknown>[] =>
  entries(node).flatMap((e) => {
    const group = isRecord(e.group) ? e.group : null;
    return group === null ? [e] : [e, ...allEntries(group.jobs).filter(() => group.skip !== true)];
  });

/**
 * Whether a lefthook.yml runs a secret scan before a commit: Foundation's script, or gitleaks, run by an
 * entry of its pre-commit hook (commands, jobs, scripts) — not in a comment, an `echo`, an entry or hook
 * marked `skip: true`, nor only before a push. A file that does not parse runs none. Pure.
 */
export function scansSecrets(config: string): boolean {
  const parsed = parseYaml(config);
  if (!parsed.ok) return false;
  const hook = (parsed.value as Record<string, unknown> | null)?.['pre-commit'];
  if (!isRecord(hook) || hook.skip === true) return false;
  const kept = (node: unknown) => allEntries(node).filter((e) => e.skip !== true);
  const runs = [...kept(hook.commands), ...kept(hook.jobs)].map((e) =>
    typeof e.run === 'string' ? e.run : '',
  );
  const scripts = kept(hook.scripts).map((e) => (typeof e.name === 'string' ? e.name : ''));
  return runs.some(runsScan) || scripts.some((file) => /secret-scan|gitleaks/.test(file));
}
