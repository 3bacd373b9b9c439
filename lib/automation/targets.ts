import type { ToolInstall } from '../ports/ci.js';
import { PHASE0 } from '../model/catalogue.js';

/** One go-task target (and the make target forwarding to it). */
export interface Target {
  readonly name: string;
  readonly desc: string;
  readonly cmds: readonly string[];
  readonly aliases?: readonly string[];
}

const F = '{{.FOUNDATION}}';
const ARGS = '{{.CLI_ARGS}}';

/** The everyday commands, beside one target per step. Pure data. */
export const COMMON: readonly Target[] = [
  { name: 'default', desc: 'list the steps', cmds: [`${F} list`] },
  {
    name: 'up',
    desc: 'bring the platform up: every step in order, skipping what is done',
    cmds: [`${F} all ${ARGS}`],
  },
  {
    name: 'all',
    desc: 'converge every step in dependency order (the same as up)',
    cmds: [`${F} all ${ARGS}`],
  },
  {
    name: 'status',
    desc: 'where the UIs are (Grafana, Console, Prometheus, Alertmanager), whether they answer, how to log in',
    cmds: [`${F} status ${ARGS}`],
  },
  {
    name: 'plan',
    desc: 'read-only: what would change and why (exit 3 on drift; `task -x plan`: go-task says 201)',
    cmds: [`${F} plan ${ARGS}`],
  },
  { name: 'graph', desc: "the task graph with the last run's outcomes", cmds: [`${F} graph ${ARGS}`] },
  { name: 'validate', desc: 'the Phase 0 completion report (step 0-13)', cmds: [`${F} validate ${ARGS}`] },
  {
    name: 'down',
    desc: 'stop the platform: the k3d cluster is deleted (asks first), the Compose stack stopped (data kept)',
    cmds: [`scripts/platform down ${ARGS}`],
  },
  {
    name: 'reset',
    desc: 'delete the platform and its data, and the run history (asks first; .env and tools are kept)',
    cmds: [`scripts/platform reset ${ARGS}`],
  },
  {
    name: 'logs',
    desc: "a service's last log lines (task logs -- demo-service)",
    cmds: [`scripts/platform logs ${ARGS}`],
  },
  {
    name: 'wait',
    desc: 'wait until the broker, Prometheus, Grafana, Loki and Tempo answer',
    cmds: [`scripts/wait-for-infra ${ARGS}`],
  },
  {
    name: 'new-service',
    desc: 'a new service from the template (task new-service -- orders-api)',
    cmds: [`${F} new service ${ARGS}`],
  },
  {
    name: 'deploy',
    desc: 'build, load and roll out one service, then check its health (task deploy -- demo-service)',
    cmds: [`${F} deploy ${ARGS}`],
  },
  {
    name: 'test',
    desc: 'the whole test suite (or some tiers: task test -- unit tasks)',
    cmds: [`scripts/run-tests ${ARGS}`],
  },
  {
    name: 'lint',
    desc: 'ESLint, Prettier and the TypeScript type check',
    cmds: ['scripts/bootstrap npm run lint', 'scripts/bootstrap npm run typecheck'],
  },
  {
    name: 'ci',
    desc: "the CI workflow's stages here, each timed (task ci -- --job lint)",
    cmds: [`${F} ci ${ARGS}`],
  },
  {
    name: 'bench',
    desc: 'run a benchmark (task bench -- runner); prints JSON on its last line',
    cmds: [`scripts/bootstrap npm run bench -- ${ARGS}`],
  },
  {
    name: 'completion',
    desc: 'shell completion: task completion -- install (or bash, zsh, fish to print it)',
    cmds: [`${F} completion ${ARGS}`],
  },
];

/**
 * One target per Phase 0 step, its name as an alias (`task 0-3` = `task redpanda`) unless an everyday
 * command has that name: `task ci` runs the pipeline and `task validate` the report (what 0-8's and
 * 0-13's names would mean anyway); `task 0-8` and `task 0-13` are the steps. Pure data.
 */
export const STEP_TARGETS: readonly Target[] = PHASE0.map((s) => ({
  name: s.id,
  desc: `${s.name}: ${s.summary}`,
  cmds: [`${F} run ${s.id} ${ARGS}`],
  ...(COMMON.some((c) => c.name === s.name) ? {} : { aliases: [s.name] }),
}));

/** What Taskfile.yml and the Makefile hold: the everyday commands, then every step. */
export const ALL_TARGETS: readonly Target[] = [...COMMON, ...STEP_TARGETS];

/** Every target the Taskfile and the Makefile must have: the common ones, each step, each step's name. */
export function requiredNames(targets: readonly Target[]): string[] {
  return targets.flatMap((t) => [t.name, ...(t.aliases ?? [])]);
}

/**
 * go-task, pinned as scripts/test-servers/install pins it: the binary inside a PyPI wheel; the same version
 * task 0-1 installs from the release (lib/prereqs/pins.ts), so both tasks mean one go-task (a test keeps them equal).
 */
export const GO_TASK: ToolInstall = {
  name: 'go-task',
  command: 'task',
  version: '3.53.1',
  source: { kind: 'pypi', package: 'go-task-bin' },
  manual: 'brew install go-task (macOS, Linux), or see https://taskfile.dev/installation/',
};
