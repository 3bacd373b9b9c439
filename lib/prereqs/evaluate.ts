import semver from 'semver';
import { DAEMON_HINT, TOOLS, type Os } from './tools.js';

/** What probing one tool found. `daemon` only for docker: the server version, or null when unreachable. */
export interface ToolProbe {
  readonly name: string;
  readonly version: string | null;
  readonly found: boolean;
  readonly daemon?: string | null;
}

export interface ToolProblem {
  readonly name: string;
  readonly problem: 'missing' | 'too old' | 'daemon not reachable';
  readonly detail: string;
  readonly hint: string;
}

/** Compare probes with the minimums. Pure: same probes, same problems, each with its per-OS install hint. */
export function evaluateTools(probes: readonly ToolProbe[], os: Os): ToolProblem[] {
  const problems: ToolProblem[] = [];
  for (const spec of TOOLS) {
    const probe = probes.find((p) => p.name === spec.name);
    const install = spec.install[os];
    if (probe === undefined || !probe.found) {
      problems.push({
        name: spec.name,
        problem: 'missing',
        detail: `not found on PATH (${spec.why})`,
        hint: install,
      });
      continue;
    }
    if (probe.version === null || semver.lt(probe.version, spec.minimum)) {
      const seen = probe.version ?? 'an unreadable version';
      problems.push({
        name: spec.name,
        problem: 'too old',
        detail: `${seen} < ${spec.minimum}`,
        hint: install,
      });
      continue;
    }
    if (probe.daemon === null) {
      problems.push({
        name: spec.name,
        problem: 'daemon not reachable',
        detail: 'the client is installed but no Docker engine answers',
        hint: DAEMON_HINT[os],
      });
    }
  }
  return problems;
}

/** The multi-line fix shown in the recap: one line per problem tool. */
export function formatToolHint(problems: readonly ToolProblem[], os: Os): string {
  const label = os === 'darwin' ? 'macOS' : os === 'linux' ? 'Linux' : 'your OS';
  return [
    `on ${label}:`,
    ...problems.map((p) => `  ${p.name}: ${p.hint}`),
    'then run: foundation run 0-1',
  ].join('\n');
}
