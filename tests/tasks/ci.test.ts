import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CI_TOOLS } from '../../lib/ci/tools.js';
import ci from '../../tasks/08-ci.js';
import { fakeCiTools, type FakeToolFailure } from '../helpers/fake-ports.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';

const ALL = CI_TOOLS.map((t) => t.command);
const OWNED = {
  '.github/workflows/ci.yml': 'name: ci\n',
  'renovate.json': '{}\n',
  '.checkov.yaml': 'framework: [kubernetes]\n',
};

function world(opts: {
  files?: Record<string, string>;
  installed?: string[];
  failing?: Record<string, FakeToolFailure>;
}) {
  const tools = fakeCiTools({
    installed: opts.installed ?? ALL,
    ...(opts.failing === undefined ? {} : { failing: opts.failing }),
    workflows: ['.github/workflows/ci.yml', 'orders-api/.github/workflows/ci.yml'],
  });
  const fileMap = new Map(Object.entries(opts.files ?? OWNED));
  return { tools, ctx: fakeContext({ fileMap, ci: tools }) };
}

describe('task 0-8 (CI/CD)', () => {
  it('is converged when the files are there, every tool is found and every linter passes', async () => {
    const { ctx, tools } = world({});
    const r = await ci.check(ctx);
    assert.equal(r.status, 'ok');
    assert.match(r.status === 'ok' ? (r.detail ?? '') : '', /2 workflow\(s\) pass actionlint and zizmor/);
    // The same command lines CI runs: both workflow files to both linters, the Renovate validator strict.
    assert.deepEqual(tools.runs, [
      'actionlint -no-color .github/workflows/ci.yml orders-api/.github/workflows/ci.yml',
      'zizmor --offline --no-progress --quiet --persona=pedantic --format=plain .github/workflows/ci.yml orders-api/.github/workflows/ci.yml',
      'renovate-config-validator --strict',
    ]);
  });

  it('brings missing pipeline files from the Foundation package and installs missing tools', async () => {
    const { ctx, tools } = world({ files: {}, installed: ['actionlint', 'gitleaks'] });
    for (const [f, text] of Object.entries(OWNED)) ctx.fileMap.set(`/pkg/${f}`, text);
    const before = await ci.check(ctx);
    assert.equal(before.status, 'missing');
    assert.match(
      before.status === 'missing' ? before.reason : '',
      /\.github\/workflows\/ci\.yml, renovate\.json/,
    );
    const { result, code } = await runOne(ci, ctx);
    assert.equal(code, 0, JSON.stringify(result));
    assert.equal(result?.outcome, 'changed');
    for (const [f, text] of Object.entries(OWNED)) assert.equal(ctx.fileMap.get(f), text);
    assert.deepEqual(tools.installs, [
      'zizmor@1.32.0 (pypi)',
      'renovate@44.121.2 (npm)',
      'checkov@3.3.30 (pypi)',
    ]);
  });

  it('names each missing tool and what it is for', async () => {
    const r = await ci.check(
      world({ installed: ['actionlint', 'renovate-config-validator', 'checkov'] }).ctx,
    );
    assert.equal(r.status, 'missing');
    assert.match(
      r.status === 'missing' ? r.reason : '',
      /not installed: zizmor \(.*security.*\); gitleaks \(.*secret/,
    );
  });

  it('a linter finding blocks the task with what to do (apply never rewrites the user’s files)', async () => {
    const finding = '.github/workflows/ci.yml:12:9: template-injection: ${{ github.event.issue.title }}';
    const { ctx, tools } = world({ failing: { zizmor: { exitCode: 14, output: `${finding}\n` } } });
    const r = await ci.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(r.status === 'blocked' ? r.reason : '', /zizmor \(2 workflows\): .*template-injection/);
    assert.equal(
      r.status === 'blocked' ? r.hint : '',
      "your files are kept as they are: correct what each finding names (docs/ci.md), or move .github/workflows/ci.yml aside to get Foundation's; then foundation run 0-8",
    );
    const { result, code } = await runOne(ci, ctx);
    assert.equal(code, 4);
    assert.equal(result?.outcome, 'blocked');
    assert.equal(result.applies, 0, 'nothing applied over the finding');
    assert.deepEqual(tools.installs, []);
  });

  it('a linter that cannot start (127: its interpreter missing) fails with E_TOOL_BROKEN, not a finding', async () => {
    const output = '/usr/bin/env: ‘node’: No such file or directory\n';
    const { ctx } = world({ failing: { 'renovate-config-validator': { exitCode: 127, output } } });
    const { result, code } = await runOne(ci, ctx);
    assert.equal(code, 4);
    assert.equal(result?.outcome, 'failed');
    assert.equal(result.error?.code, 'E_TOOL_BROKEN');
    assert.match(
      result.reason ?? '',
      /renovate-config-validator is installed but cannot run \(exit 127\): .*node/,
    );
    assert.match(result.hint ?? '', /\/tools\/renovate-config-validator --version/);
    const killed = world({ failing: { actionlint: { exitCode: null, output: '' } } });
    await assert.rejects(
      ci.check(killed.ctx),
      /actionlint is installed but cannot run \(killed by a signal\): no output/,
    );
  });

  it('a linter ending with an error of its own (zizmor 3: an input it cannot parse) blocks, saying it could not check', async () => {
    const { ctx } = world({
      failing: { zizmor: { exitCode: 3, output: 'fatal: no audit was performed\n' } },
    });
    const r = await ci.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(
      r.status === 'blocked' ? r.reason : '',
      /zizmor \(2 workflows\) could not check the files \(exit 3\): fatal: no audit was performed/,
    );
  });

  it('does not overwrite the Foundation repository’s own files: a missing one is restored from git', async () => {
    const { ctx } = world({ files: { 'renovate.json': '{}\n', '.checkov.yaml': 'x: 1\n' } });
    const same = { ...ctx, platform: { ...ctx.platform, packageRoot: '/ws' } };
    const { result, code } = await runOne(ci, same);
    assert.equal(code, 2); // E_CONFIG_INVALID: the workspace is incomplete, not a task that failed
    assert.match(JSON.stringify(result), /git checkout -- \.github\/workflows\/ci\.yml/);
  });
});
