// `foundation ci` through the built CLI on a workflow of the test's own: the order, the times, what is
// skipped, a failing step stopping the run with exit 4, an unknown job refused with the known ones.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CiJobResult } from '../../lib/commands/ci.js';
import { cli, workspace } from '../helpers/cli.js';

function withWorkflow(body: string): { dir: string; path: string } {
  const ws = workspace();
  mkdirSync(join(ws.dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(ws.dir, '.github', 'workflows', 'ci.yml'), body);
  return ws;
}

const WF = (second: string) => `on: push
jobs:
  build:
    needs: check
    runs-on: ubuntu-24.04
    steps:
      - run: ${second}
  check:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: echo checked > checked.txt
`;

describe('foundation ci', () => {
  it('runs the workflow’s scripts in dependency order, skips the actions, times each', async () => {
    const ws = withWorkflow(WF('test -f checked.txt && echo built'));
    const r = await cli(['--json', 'ci'], ws);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { type: string; jobs: CiJobResult[] };
    assert.equal(out.type, 'ci');
    assert.deepEqual(
      out.jobs.map((j) => [j.id, j.status, j.steps.map((s) => s.status)]),
      [
        ['check', 'passed', ['skipped', 'passed']],
        ['build', 'passed', ['passed']],
      ],
    );
    assert.ok(out.jobs.every((j) => j.ms >= 0));
    assert.match(r.stderr, /│ built/, 'the step’s output is shown (on stderr with --json)');
  });

  it('a failing step stops the run: exit 4, later steps not run', async () => {
    const ws = withWorkflow(WF('exit 3'));
    const r = await cli(['ci'], ws);
    assert.equal(r.code, 4);
    assert.match(r.stdout, /✖ exit 3 — [\d.]+ s \(exit 3\)/);
    assert.match(r.stdout, /^build +failed /m);
  });

  it('an unknown job or no workflow: exit 2 with the fix', async () => {
    const r = await cli(['ci', '--job', 'deploy'], withWorkflow(WF('true')));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /no job deploy in \.github\/workflows\/ci\.yml\n {2}fix: foundation ci --job <id> with one of: check, build/,
    );
    const none = await cli(['ci'], workspace());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /ci\.yml does not exist/);
  });
});
