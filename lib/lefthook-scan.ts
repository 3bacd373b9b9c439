// Whether a lefthook.yml runs a secret scan before each commit (task 0-1's check, validate's REQ-0.6/AC3).
import { parseYaml } from './yaml-text.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A hook's entries (commands, jobs, scripts) as records, with a map's key as `name`. */
const entries = (node: unknown): Record<string, unknown>[] => {
  if (Array.isArray(node)) return (node as unknown[]).filter(isRecord);
  if (!isRecord(node)) return [];
  return Object.entries(node).map(([name, e]) => ({ name, ...(isRecord(e) ? e : {}) }));
};

/** Words that print or discard what follows instead of running it. */
const NOT_RUN = new Set(['echo', 'printf', ':', 'true', '#']);

/**
 * A shell command that runs the scan: one of its commands (split at ;, &&, ||, | and new lines) names
 * `secret-scan` or `gitleaks` as a word (any wrapper before it: bash, npx, exec, docker run) and does not
 * start with a word that only prints it (echo, printf). Pure.
 */
export function runsScan(command: string): boolean {
  return command
    .split(/&&|\|\||[;|\n]/)
    .map((part) => part.trim())
    .some((part) => {
      const first = part.split(/\s+/)[0] ?? '';
      return (
        !NOT_RUN.has(first) &&
        !first.startsWith('#') &&
        /(^|[\s/])(secret-scan|gitleaks)(\.\w+)?(\s|$)/.test(part)
      );
    });
}

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
  const kept = (node: unknown) => entries(node).filter((e) => e.skip !== true);
  const runs = [...kept(hook.commands), ...kept(hook.jobs)].map((e) =>
    typeof e.run === 'string' ? e.run : '',
  );
  const scripts = kept(hook.scripts).map((e) => (typeof e.name === 'string' ? e.name : ''));
  return runs.some(runsScan) || scripts.some((file) => /secret-scan|gitleaks/.test(file));
}
