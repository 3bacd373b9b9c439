import semver from 'semver';
import type { Target } from '../config/targets.js';
import { DAEMON_HINT, DOCKER_MEMORY_BUDGET, MEMORY_HINT, TOOLS, type Os } from './tools.js';

import type { ToolProbe } from '../ports/dev.js';

export type { ToolProbe } from '../ports/dev.js';

export interface ToolProblem {
  readonly name: string;
  readonly problem: 'missing' | 'too old' | 'daemon not reachable';
  readonly detail: string;
  readonly hint: string;
}

/**
 * Compare probes with the minimums of the tools the target needs (k3d only for k3d; kubectl and helm not
 * for compose). Pure: same probes, same problems, each with its per-OS install hint.
 */
export function evaluateTools(probes: readonly ToolProbe[], os: Os, target: Target = 'k3d'): ToolProblem[] {
  const problems: ToolProblem[] = [];
  for (const spec of TOOLS.filter((t) => t.targets === undefined || t.targets.includes(target))) {
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
    if (probe.daemon && spec.daemonMinimum && semver.lt(probe.daemon, spec.daemonMinimum)) {
      problems.push({
        name: spec.name,
        problem: 'too old',
        detail: `engine ${probe.daemon} < ${spec.daemonMinimum}`,
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

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** One line for the log: `docker: 28.2.2 (daemon 20.10.24)`, `k3d: not found`. */
export function describeProbe(probe: ToolProbe): string {
  if (!probe.found) return `${probe.name}: not found`;
  const memory =
    probe.memoryBytes === undefined || probe.memoryBytes === null ? '' : `, ${gib(probe.memoryBytes)}`;
  const daemon =
    probe.daemon === undefined
      ? ''
      : probe.daemon === null
        ? ' (daemon: not reachable)'
        : ` (daemon ${probe.daemon}${memory})`;
  return `${probe.name}: ${probe.version ?? 'unknown version'}${daemon}`;
}

/** A warning when the Docker engine has less memory than the platform's budget; null when enough or unknown. Pure. */
export function dockerMemoryWarning(
  probes: readonly ToolProbe[],
  os: Os,
  budget = DOCKER_MEMORY_BUDGET,
): string | null {
  const memory = probes.find((p) => p.name === 'docker')?.memoryBytes;
  if (memory === undefined || memory === null || memory >= budget) return null;
  return `docker: the engine has ${gib(memory)} of memory, under the platform's ${gib(budget)}: pods may stay Pending or be OOM-killed — ${MEMORY_HINT[os]}`;
}
