// Phase 0 criteria judged as pure functions over observations: each kind of observation against
// passing, failing and unmeasurable inputs; every id of the requirements present; the verdict.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CRITERIA, REQUIREMENTS } from '../../lib/validate/criteria.js';
import { NOT_MEASURABLE, figure, judge, judgeAll, type Observation } from '../../lib/validate/judge.js';
import { ROOT } from '../helpers/cli.js';

const byId = (id: string) => {
  const c = CRITERIA.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
};

describe('judging the Phase 0 criteria', () => {
  it('covers every id of the requirements (docs/requirements.md)', () => {
    assert.equal(new Set(CRITERIA.map((c) => c.id)).size, CRITERIA.length, 'ids are unique');
    for (const c of CRITERIA)
      assert.ok(
        REQUIREMENTS.some((r) => r.id === c.requirement),
        c.id,
      );
    const text = readFileSync(join(ROOT, 'docs', 'requirements.md'), 'utf8');
    let judged = 0;
    for (const section of text.split(/^## /m).filter((s) => s.startsWith('REQ-'))) {
      const req = section.slice(0, section.indexOf(' '));
      const ids = [...section.matchAll(/\b(AC\d+|M\d+)\b/g)].map((m) => `${req}/${m[1] ?? ''}`);
      for (const id of new Set(ids)) {
        assert.ok(
          CRITERIA.some((c) => c.id === id),
          `${id} is judged`,
        );
        judged++;
      }
    }
    assert.equal(judged, CRITERIA.length, 'as many ids in the requirements as criteria');
  });

  const table: [string, Observation | undefined, string, RegExp][] = [
    [
      'REQ-0.2/M1',
      { kind: 'value', value: 22_179, unit: 'msg/s', how: 'h' },
      'PASS',
      /22179 msg\/s \(bound > 10000 msg\/s\)/,
    ],
    ['REQ-0.2/M1', { kind: 'value', value: 9_999, unit: 'msg/s', how: 'h', fix: 'f' }, 'FAIL', /9999 msg\/s/],
    ['REQ-0.2/M2', { kind: 'value', value: 50, unit: 'ms', how: 'h' }, 'FAIL', /50 ms \(bound < 50 ms\)/],
    ['REQ-0.2/M2', { kind: 'value', value: 12.5, unit: 'ms', how: 'h' }, 'PASS', /13 ms/],
    [
      'REQ-0.4/M2',
      { kind: 'value', value: 0, unit: 'tasks', how: 'h' },
      'PASS',
      /0 tasks \(bound = 0 tasks\)/,
    ],
    [
      'REQ-0.4/M1',
      { kind: 'value', value: 11 * 60_000, unit: 'ms', how: 'h' },
      'FAIL',
      /11\.0 min \(bound < 10\.0 min\)/,
    ],
    ['REQ-0.2/M1', { kind: 'value', value: 5, unit: 'ms', how: 'h' }, 'FAIL', /no bound in ms/],
    [
      'REQ-0.6/AC3',
      { kind: 'fact', holds: true, detail: 'hook installed', how: 'h' },
      'PASS',
      /hook installed/,
    ],
    [
      'REQ-0.6/AC3',
      { kind: 'fact', holds: false, detail: 'git hooks: missing', how: 'h', fix: 'foundation run 0-1' },
      'FAIL',
      /missing/,
    ],
    [
      'REQ-0.1/AC1',
      { kind: 'absent', reason: 'target compose has no Kubernetes', byChoice: true },
      'NOT MEASURED',
      /compose/,
    ],
    [
      'REQ-0.1/AC1',
      { kind: 'error', reason: 'the Kubernetes API did not answer in 15 s', fix: 'foundation run 0-2' },
      'FAIL',
      /15 s/,
    ],
    ['REQ-0.1/M3', undefined, 'NOT MEASURED', /cannot be measured in one run/],
    ['REQ-0.3/AC7', undefined, 'NOT MEASURED', /no probe reported on this in this run/],
    ['REQ-0.5/AC5', undefined, 'NOT MEASURED', /no probe reported on this in this run/],
  ];
  for (const [id, obs, status, evidence] of table)
    it(`${id} ${obs?.kind ?? 'unobserved'} → ${status}`, () => {
      const f = judge(byId(id), obs);
      assert.equal(f.status, status);
      assert.match(f.evidence, evidence);
      if (f.status === 'FAIL' && obs && 'fix' in obs && obs.fix) assert.equal(f.fix, obs.fix);
      if (f.status === 'PASS') assert.equal(f.fix, undefined, 'no fix on a pass');
    });

  it('verdict: any FAIL fails; NOT MEASURED by choice does not count; otherwise incomplete', () => {
    const pass = (): Observation => ({ kind: 'fact', holds: true, detail: 'd', how: 'h' });
    const everything = Object.fromEntries(
      CRITERIA.map((c): [string, Observation] => [
        c.id,
        c.bound
          ? {
              kind: 'value',
              value:
                c.bound.op === '>'
                  ? c.bound.value + 1
                  : c.bound.op === '='
                    ? c.bound.value
                    : c.bound.value - 1,
              unit: c.bound.unit,
              how: 'h',
            }
          : pass(),
      ]),
    );
    assert.equal(judgeAll(everything).verdict, 'PASS');
    assert.equal(
      judgeAll({ ...everything, 'REQ-0.2/M1': { kind: 'absent', reason: '--skip-perf', byChoice: true } })
        .verdict,
      'PASS',
    );
    assert.equal(
      judgeAll({ ...everything, 'REQ-0.2/M1': { kind: 'absent', reason: 'no broker' } }).verdict,
      'INCOMPLETE',
    );
    assert.equal(
      judgeAll({ ...everything, 'REQ-0.6/AC3': { kind: 'fact', holds: false, detail: 'd', how: 'h' } })
        .verdict,
      'FAIL',
    );
    // What no run of validate can measure (uptime over weeks, another OS, a feature not offered) is said,
    // not held against the verdict: everything else passing is PASS.
    const reachable = Object.fromEntries(
      Object.entries(everything).filter(([id]) => !(id in NOT_MEASURABLE)),
    );
    const judged = judgeAll(reachable);
    assert.equal(judged.verdict, 'PASS');
    assert.deepEqual(
      judged.findings.filter((f) => f.beyondReach).map((f) => [f.id, f.status]),
      Object.keys(NOT_MEASURABLE).map((id) => [id, 'NOT MEASURED']),
    );
    assert.equal(Object.keys(NOT_MEASURABLE).length, 3);
    const { findings } = judgeAll({});
    assert.equal(
      findings.length,
      CRITERIA.length,
      'every criterion is in the findings, none silently absent',
    );
  });

  it('figures: ms as ms, s or min; other units as they are', () => {
    assert.equal(figure(850, 'ms'), '850 ms');
    assert.equal(figure(95_000, 'ms'), '95.0 s');
    assert.equal(figure(600_000, 'ms'), '10.0 min');
    assert.equal(figure(3584, 'MiB'), '3584 MiB');
  });
});
