// Task 0-8's tools for real: Renovate's validator and checkov over this repository's files and over a
// planted problem each must catch; the adapter's installers (PyPI, npm, Go) into a new tool directory;
// and `foundation run 0-8` in a new workspace, then with an injection planted in its workflow.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { TOOL_DIR, createCiTools } from '../../lib/adapters/ci-tools.js';
import { createShell } from '../../lib/adapters/shell.js';
import { CI_TOOLS, RENOVATE_ARGS, RENOVATE_ENV } from '../../lib/ci/tools.js';
import { FoundationError } from '../../lib/errors.js';
import { ROOT, cli, userWorkspace } from '../helpers/cli.js';
import { silentLog } from '../helpers/fixtures.js';
import { findTool } from '../helpers/tools.js';

const renovate = findTool('renovate-config-validator', 'RENOVATE_VALIDATOR_BIN');
const checkov = findTool('checkov', 'CHECKOV_BIN');
const bin = (t: typeof renovate): string => ('path' in t ? t.path : '');
const skipOf = (t: typeof renovate): string | false => ('skip' in t ? t.skip : false);
const run = (cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
const tool = (name: string) => {
  const t = CI_TOOLS.find((c) => c.name === name);
  if (t === undefined) throw new Error(name);
  return t;
};
const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

describe("Renovate's own validator", { skip: skipOf(renovate), timeout: 60_000 }, () => {
  it('accepts renovate.json (strict: no warnings, no migration needed)', () => {
    const r = run(bin(renovate), RENOVATE_ARGS, ROOT, RENOVATE_ENV);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Config validated successfully/);
  });

  it('rejects a planted unknown option', () => {
    const dir = tmp('renovate-');
    writeFileSync(join(dir, 'renovate.json'), '{"extends":["config:recommended"],"grouping":"all"}\n');
    const r = run(bin(renovate), RENOVATE_ARGS, dir, RENOVATE_ENV);
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /Invalid configuration option: grouping/);
  });
});

describe('checkov with .checkov.yaml (the IaC scan)', { skip: skipOf(checkov), timeout: 120_000 }, () => {
  const scan = (dir: string) =>
    run(bin(checkov), ['--config-file', join(ROOT, '.checkov.yaml'), '-d', dir], dir);

  it('passes this repository’s manifests, Dockerfiles and workflows', () => {
    const r = scan(ROOT);
    assert.equal(r.status, 0, r.stdout.slice(-3000));
    assert.match(r.stdout, /kubernetes scan results:\s+Passed checks: \d+, Failed checks: 0/);
    assert.match(r.stdout, /dockerfile scan results:\s+Passed checks: \d+, Failed checks: 0/);
  });

  it('fails a planted Deployment that runs as root', () => {
    const dir = tmp('iac-');
    const container =
      '        - name: app\n          image: example/app:1.0.0\n          securityContext:\n            runAsUser: 0\n';
    writeFileSync(
      join(dir, 'deployment.yaml'),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: rooted\nspec:\n  selector:\n    matchLabels: { app: r }\n  template:\n    metadata:\n      labels: { app: r }\n    spec:\n      containers:\n${container}`,
    );
    const r = scan(dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /CKV_K8S_23: "Minimize the admission of root containers"/);
  });
});

describe('the CI tools adapter', { timeout: 300_000 }, () => {
  const signal = new AbortController().signal;
  const adapter = (ws: string) => createCiTools(createShell({ cwd: ws, signal, log: silentLog }), ws);

  it('finds workflows in the workspace and its services, never in installed packages', async () => {
    const ws = tmp('ci-ws-');
    for (const d of ['.github/workflows', 'orders-api/.github/workflows', 'node_modules/x/.github/workflows'])
      mkdirSync(join(ws, d), { recursive: true });
    writeFileSync(join(ws, '.github/workflows/ci.yml'), 'on: push\n');
    writeFileSync(join(ws, 'orders-api/.github/workflows/ci.yaml'), 'on: push\n');
    writeFileSync(join(ws, 'node_modules/x/.github/workflows/ci.yml'), 'on: push\n');
    assert.deepEqual(await adapter(ws).workflows(), [
      '.github/workflows/ci.yml',
      'orders-api/.github/workflows/ci.yaml',
    ]);
  });

  it('installs a PyPI tool and an npm tool into the project’s tool directory, found there next time', async () => {
    const ws = tmp('ci-install-');
    const ci = adapter(ws);
    const zizmor = await ci.install(tool('zizmor'));
    assert.equal(zizmor, join(ws, TOOL_DIR, 'bin', 'zizmor'));
    assert.match(run(zizmor, ['--version'], ws).stdout, /zizmor 1\.32\.0/);
    const path = process.env.PATH;
    try {
      process.env.PATH = join(ws, 'nothing-here'); // not on PATH: found in the tool directory
      assert.equal(await ci.find('zizmor'), zizmor);
      assert.equal(await ci.find('no-such-tool'), null);
    } finally {
      process.env.PATH = path;
    }
    // npm: a small package with a command, the same way renovate is installed.
    const semver = await ci.install({
      ...tool('renovate'),
      name: 'semver',
      command: 'semver',
      version: '7.8.6',
      source: { kind: 'npm', package: 'semver' },
    });
    assert.equal(run(semver, ['-i', 'minor', '1.2.3'], ws).stdout.trim(), '1.3.0');
  });

  it('builds a Go tool with go install, or says how to install it when Go is not there', async () => {
    const cache = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
    const ws = tmp('ci-go-');
    const before = { ...process.env };
    try {
      // The module and build caches of scripts/test-servers/install: a link, not a new compile.
      Object.assign(process.env, {
        GOMODCACHE: join(cache, 'go', 'mod'),
        GOCACHE: join(cache, 'go', 'build'),
        GOFLAGS: '-mod=mod',
      });
      if (spawnSync('sh', ['-c', 'command -v go']).status === 0) {
        const actionlint = await adapter(ws).install(tool('actionlint'));
        assert.match(run(actionlint, ['-version'], ws).stdout, /1\.7\.12/);
      }
      process.env.PATH = join(ws, 'nothing-here');
      await assert.rejects(adapter(ws).install(tool('gitleaks')), (e: unknown) => {
        assert.ok(e instanceof FoundationError);
        assert.equal(e.code, 'E_TOOL_MISSING');
        assert.match(e.message, /gitleaks is not installed.*go is not on PATH/);
        assert.match(e.fix ?? '', /brew install gitleaks/);
        return true;
      });
    } finally {
      process.env = before;
    }
  });
});

describe('foundation run 0-8 in a new workspace', { timeout: 120_000 }, () => {
  it('writes the pipeline files, finds the tools, lints clean; a planted injection blocks it, the file kept', async () => {
    const dir = tmp('ci-task-');
    const env = userWorkspace(dir, {});
    const ws = { dir, path: env.PATH ?? '' };
    const first = await cli(['run', '0-8'], ws, env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(
      readFileSync(join(dir, 'renovate.json'), 'utf8'),
      readFileSync(join(ROOT, 'renovate.json'), 'utf8'),
    );
    const workflow = join(dir, '.github', 'workflows', 'ci.yml');
    writeFileSync(
      workflow,
      readFileSync(workflow, 'utf8').replace(
        '      - run: npm run lint\n',
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
      ),
    );
    const plan = await cli(['plan', '0-8'], ws, env);
    assert.equal(plan.code, 3, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /zizmor \(1 workflow\): .*template-injection/);
    // run: blocked with what to do (the file is the user's to correct), not "not converged after apply".
    const planted = readFileSync(workflow, 'utf8');
    const run = await cli(['--json', 'run', '0-8'], ws, env);
    assert.equal(run.code, 4, run.stdout + run.stderr);
    const end = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; outcome?: string; hint?: string })
      .find((e) => e.type === 'task:end');
    assert.equal(end?.outcome, 'blocked');
    assert.match(end.hint ?? '', /^your files are kept as they are: correct what each finding names/);
    assert.equal(readFileSync(workflow, 'utf8'), planted, 'the workflow is kept');
  });
});

describe('foundation ci on this repository’s own workflow', { timeout: 300_000 }, () => {
  it('the secrets and IaC jobs run their real steps here, each timed, and pass', async () => {
    // The workflow's steps name the CI layout, ~/.cache/foundation/bin: run them under the HOME whose cache
    // holds the tools (the test runner gives test processes an empty HOME of their own).
    const cache = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      HOME: resolve(cache, '..', '..'),
    };
    const r = await cli(
      ['--json', 'ci', '--job', 'secrets', '--job', 'iac'],
      { dir: ROOT, path: env.PATH ?? '' },
      env,
    );
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    const result = JSON.parse(r.stdout) as {
      totalMs: number;
      jobs: { id: string; status: string; ms: number; steps: { name: string; status: string }[] }[];
    };
    assert.deepEqual(
      result.jobs.map((j) => [j.id, j.status]),
      [
        ['secrets', 'passed'],
        ['iac', 'passed'],
      ],
    );
    const iac = result.jobs[1]?.steps.map((s) => [s.name, s.status]);
    assert.deepEqual(iac?.slice(-2), [
      ['~/.cache/foundation/bin/checkov --config-file .checkov.yaml -d .', 'passed'],
      ['~/.cache/foundation/bin/renovate-config-validator --strict', 'passed'],
    ]);
    process.stdout.write(
      `# foundation ci --job secrets --job iac: ${result.jobs.map((j) => `${j.id} ${j.ms} ms`).join(', ')}\n`,
    );
  });
});
