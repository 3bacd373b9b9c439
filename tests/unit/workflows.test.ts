// The workflows' own rules as data (what no linter enforces on its own): least privilege, a time limit on
// every job, superseded runs cancelled, every action pinned to a full commit SHA with its release named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

interface Workflow {
  permissions?: unknown;
  concurrency?: { 'cancel-in-progress'?: boolean };
  jobs: Record<string, { 'timeout-minutes'?: number; permissions?: unknown; steps?: { uses?: string }[] }>;
}

const FILES = [
  join('.github', 'workflows', 'ci.yml'),
  join('service-template', '.github', 'workflows', 'ci.yml'),
];

for (const file of FILES)
  describe(`${file}: the project's rules`, () => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const wf = parse(text) as Workflow;

    it('nothing by default, each job asks for what it needs; superseded runs are cancelled', () => {
      assert.deepEqual(wf.permissions, {});
      assert.equal(wf.concurrency?.['cancel-in-progress'], true);
      for (const [name, job] of Object.entries(wf.jobs)) {
        assert.ok(job.permissions !== undefined, `${name}: permissions`);
        assert.ok((job['timeout-minutes'] ?? 0) > 0, `${name}: timeout-minutes`);
      }
    });

    it('every action at a full commit SHA, its release in a comment', () => {
      const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
      assert.ok(uses.length > 0);
      for (const [, ref, rest] of uses) {
        assert.match(ref ?? '', /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${ref ?? ''} is pinned to a commit`);
        assert.match(rest ?? '', /^ # v\d+\.\d+\.\d+$/, `${ref ?? ''} names its release`);
      }
    });
  });
