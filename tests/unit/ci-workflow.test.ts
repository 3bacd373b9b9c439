// The CI workflow as data for `foundation ci`: jobs, steps, the order `needs` gives, what cannot run locally.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jobOrder, localSkip, parseWorkflow } from '../../lib/ci/workflow.js';
import { ROOT } from '../helpers/cli.js';

const WF = `on: push
jobs:
  image:
    name: image # (≈ 2 min)
    needs: [test, lint]
    runs-on: ubuntu-24.04
    steps:
      - uses: docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a # v7.3.0
  test:
    needs: lint
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: npm test
        working-directory: service
        env:
          LOG_LEVEL: warn
          RETRIES: 2
          FOUNDATION_TEST_SHARD: \${{ matrix.shard }}
      - name: echo the title
        run: echo "\${{ github.event.pull_request.title }}"
  lint:
    runs-on: ubuntu-24.04
    steps:
      - run: |
          npm ci
          npm run lint
`;

describe('the CI workflow, read for a local run', () => {
  it('jobs in the order needs gives; steps as scripts or actions; names from the step, its first line or the action', () => {
    const jobs = jobOrder(parseWorkflow(WF, 'ci.yml'), 'ci.yml');
    assert.deepEqual(
      jobs.map((j) => [j.id, j.name, j.needs]),
      [
        ['lint', 'lint', []],
        ['test', 'test', ['lint']],
        ['image', 'image', ['test', 'lint']],
      ],
    );
    assert.deepEqual(jobs[1]?.steps, [
      {
        kind: 'uses',
        name: 'actions/checkout',
        uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      },
      // env: plain values kept, GitHub-computed ones dropped (locally the step runs unsharded).
      {
        kind: 'run',
        name: 'npm test',
        run: 'npm test',
        workingDirectory: 'service',
        env: { LOG_LEVEL: 'warn', RETRIES: '2' },
      },
      { kind: 'run', name: 'echo the title', run: 'echo "${{ github.event.pull_request.title }}"' },
    ]);
    assert.equal(jobs[0]?.steps[0]?.name, 'npm ci');
  });

  it('what a local run skips, and why', () => {
    const [, test] = jobOrder(parseWorkflow(WF, 'ci.yml'), 'ci.yml');
    assert.deepEqual(test?.steps.map(localSkip), [
      'the action actions/checkout runs on GitHub only',
      null,
      'it reads GitHub expressions (${{ … }})',
    ]);
  });

  it('a need that does not exist, a cycle, no jobs, not YAML: a usage error naming the file', () => {
    const withNeed = (needs: string) =>
      `jobs:\n  a:\n    needs: ${needs}\n    steps:\n      - run: x\n  b:\n    needs: a\n    steps:\n      - run: y\n`;
    assert.throws(
      () => jobOrder(parseWorkflow(withNeed('nope'), 'ci.yml'), 'ci.yml'),
      /ci\.yml: job a needs nope, which does not exist/,
    );
    assert.throws(() => jobOrder(parseWorkflow(withNeed('b'), 'ci.yml'), 'ci.yml'), /in a cycle: a, b/);
    assert.throws(() => parseWorkflow('on: push\n', 'ci.yml'), /ci\.yml: no jobs/);
    assert.throws(() => parseWorkflow('jobs: [', 'ci.yml'), /ci\.yml: not YAML/);
    assert.throws(
      () => parseWorkflow('jobs:\n  a:\n    steps:\n      - name: nothing\n', 'ci.yml'),
      /job a, step 1: neither run nor uses/,
    );
  });

  it('this repository’s workflow: every job runs its scripts locally, only actions are left to GitHub', () => {
    const path = join('.github', 'workflows', 'ci.yml');
    const jobs = jobOrder(parseWorkflow(readFileSync(join(ROOT, path), 'utf8'), path), path);
    assert.deepEqual(
      jobs.map((j) => j.id),
      ['lint', 'unit', 'integration', 'secrets', 'audit', 'iac', 'image'],
    );
    for (const j of jobs)
      for (const s of j.steps) if (s.kind === 'run') assert.equal(localSkip(s), null, `${j.id}: ${s.name}`);
  });
});
