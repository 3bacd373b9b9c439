import type { Command } from 'commander';
import { PROCESS_ENV } from '../config/process-env.js';
import { EXIT_MEANINGS } from '../report/exit-codes.js';

/** Real invocations per command, shown under its `--help` (and the first of each under `foundation --help`). */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  list: ['foundation list', 'foundation --json list | jq -r ".tasks[].id"'],
  graph: ['foundation graph', 'foundation graph --format mermaid > graph.md', 'foundation graph --json'],
  plan: ['foundation plan', 'foundation plan 0-3 redpanda', 'foundation --json plan | jq "select(.changes)"'],
  all: ['foundation all', 'foundation all --target compose', 'foundation --concurrency 2 all'],
  run: ['foundation run 0-3', 'foundation run redpanda --with-deps', 'foundation run 0-1 --force'],
  new: [
    'foundation new service orders-api --description "takes orders"',
    'foundation new service orders-api --with postgres,redis,http-client',
  ],
  ci: ['foundation ci', 'foundation ci --job lint --job unit'],
  deploy: ['foundation deploy demo-service', 'foundation deploy orders-api --timeout 300'],
  completion: ['foundation completion install', 'foundation completion zsh > ~/.zfunc/_foundation'],
  validate: ['foundation validate', 'foundation validate --skip-perf --out ./report'],
  status: ['foundation status', 'foundation --json status | jq -r ".endpoints[] | [.name, .state] | @tsv"'],
  open: ['foundation open grafana', 'foundation open console'],
};

const table = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`);
};

/** The exit-code table, one line per code. Pure. */
export function exitCodeLines(): string[] {
  return table(Object.entries(EXIT_MEANINGS).map(([code, meaning]) => [code, meaning] as const));
}

/** What `foundation <command> --help` ends with: its examples and the exit codes. Pure. */
export function commandHelpFooter(command: string): string {
  const examples = EXAMPLES[command] ?? [];
  return ['', 'Examples:', ...examples.map((e) => `  $ ${e}`), '', 'Exit codes:', ...exitCodeLines()].join(
    '\n',
  );
}

/** What `foundation --help` ends with: an example per command, the exit codes, the environment. Pure. */
export function programHelpFooter(): string {
  return [
    '',
    'Examples:',
    ...Object.values(EXAMPLES).map((e) => `  $ ${e[0] ?? ''}`),
    '',
    'Exit codes:',
    ...exitCodeLines(),
    '',
    'Environment (every .env setting may also be set here; see docs/onboarding.md#settings):',
    ...table(PROCESS_ENV.map((v) => [v.name, v.effect] as const)),
  ].join('\n');
}

/** Every help ends with real examples and the exit-code table; the program's also lists the environment. */
export function addHelpFooters(program: Command): void {
  program.addHelpText('after', programHelpFooter());
  for (const c of program.commands) {
    c.addHelpText('after', commandHelpFooter(c.name()));
    for (const sub of c.commands) sub.addHelpText('after', commandHelpFooter(c.name()));
  }
}
