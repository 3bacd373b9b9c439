import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordRun, type RunRecordInput } from '../../scripts/test-record.js';

const STARTED = new Date('2026-11-27T03:00:00Z');
const input = (cwd: string, ciStarted: string | undefined): RunRecordInput => ({
  cwd,
  startedAt: STARTED,
  ciStarted,
  ci: true,
  passed: 925,
  failed: 0,
  skipped: 0,
});

const read = (cwd: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(cwd, '.foundation', 'ci', 'last-test-run.json'), 'utf8')) as Record<
    string,
    unknown
  >;

describe('the record of a whole run (for foundation validate)', () => {
  it('writes the counts, the suite time and the pipeline time from FOUNDATION_CI_STARTED', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foundation-record-'));
    const now = STARTED.getTime() + 600_000;
    assert.equal(recordRun(input(cwd, String(STARTED.getTime() / 1000 - 60)), now), null);
    const record = read(cwd);
    assert.deepEqual(
      { ...record, node: typeof record.node },
      {
        v: 1,
        startedAt: '2026-11-27T03:00:00.000Z',
        durationMs: 600_000,
        pipelineMs: 660_000,
        ci: true,
        passed: 925,
        failed: 0,
        skipped: 0,
        node: 'string',
      },
    );
    rmSync(cwd, { recursive: true, force: true });
  });

  it("keeps each file's time, slowest first, when the runner gives them", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foundation-record-'));
    const files = [
      { file: 'dist/tests/integration/foundation-all-compose.test.js', seconds: 79 },
      { file: 'dist/tests/unit/graph.test.js', seconds: 0.2 },
    ];
    assert.equal(recordRun({ ...input(cwd, undefined), files }), null);
    assert.deepEqual(read(cwd).fileSeconds, {
      'dist/tests/integration/foundation-all-compose.test.js': 79,
      'dist/tests/unit/graph.test.js': 0.2,
    });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('leaves the pipeline time out when FOUNDATION_CI_STARTED is absent or not a time', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foundation-record-'));
    for (const ciStarted of [undefined, 'yesterday', '0']) {
      assert.equal(recordRun(input(cwd, ciStarted)), null);
      const record = read(cwd);
      assert.equal('pipelineMs' in record, false, String(ciStarted));
    }
    rmSync(cwd, { recursive: true, force: true });
  });

  it('says why when the record cannot be written, instead of throwing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'foundation-record-'));
    writeFileSync(join(cwd, '.foundation'), 'a file where the directory should be');
    assert.match(recordRun(input(cwd, undefined)) ?? '', /EEXIST|ENOTDIR/);
    rmSync(cwd, { recursive: true, force: true });
  });
});
