// The completion report as data and as Markdown: structure, not looks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../lib/report/events.js';
import { CRITERIA, REQUIREMENTS } from '../../lib/validate/criteria.js';
import { judgeAll } from '../../lib/validate/judge.js';
import {
  REPORT_SCHEMA_VERSION,
  countStatuses,
  renderMarkdown,
  timelineFrom,
  type Report,
} from '../../lib/validate/report.js';

const ev = (ts: string, body: object): RunEvent => ({ v: 1, runId: 'r1', ts, ...body }) as RunEvent;

describe('the completion report', () => {
  const { findings, verdict } = judgeAll({
    'REQ-0.2/M1': {
      kind: 'value',
      value: 9_000,
      unit: 'msg/s',
      how: 'kafkajs | 20000 messages',
      fix: 'npm run bench -- kafka',
    },
    'REQ-0.6/AC3': { kind: 'fact', holds: true, detail: 'lefthook runs gitleaks', how: 'the hook' },
    'REQ-0.1/AC1': { kind: 'absent', reason: 'target compose has no Kubernetes', byChoice: true },
  });
  const report: Report = {
    v: REPORT_SCHEMA_VERSION,
    generatedAt: '2026-11-25T12:00:00.000Z',
    target: 'compose',
    verdict,
    options: { skipPerf: true, restartBroker: false, restartCluster: false },
    counts: countStatuses(findings),
    findings,
    endToEnd: [
      {
        name: 'published',
        found: true,
        ms: 12,
        query: 'POST http://127.0.0.1:3001/events {…}',
        detail: 'event e1, trace t1',
      },
      {
        name: 'logged',
        found: false,
        ms: 60_000,
        query: 'LogQL {service="demo-service"} |= "t1"',
        detail: 'not found within 60 s',
      },
    ],
    tasks: [{ id: '0-1', outcome: 'ok' }],
    timeline: {
      runId: 'r1',
      tasks: timelineFrom([
        ev('2026-11-25T10:00:00.000Z', {
          type: 'run:start',
          mode: 'run',
          target: 'compose',
          tasks: [],
          gates: [],
          concurrency: 4,
        }),
        ev('2026-11-25T10:00:01.000Z', { type: 'task:phase', id: '0-1', phase: 'check', attempt: 1 }),
        ev('2026-11-25T10:00:03.000Z', {
          type: 'task:end',
          id: '0-1',
          title: 'Developer prerequisites',
          outcome: 'changed',
          durationMs: 2000,
          applies: 1,
        }),
      ]),
    },
    environment: { node: '24.21.0' },
  };
  const md = renderMarkdown(report);

  it('timeline: each task from its first phase, for its duration', () => {
    assert.deepEqual(report.timeline?.tasks, [
      { id: '0-1', title: 'Developer prerequisites', outcome: 'changed', startMs: 1000, durationMs: 2000 },
    ]);
    assert.match(md, /```mermaid\ngantt\n/);
    assert.match(md, /^ {2}0-1 Developer prerequisites :active, 1000, 2000ms$/m);
  });

  it('a verdict line with the counts, the failures first with their fix, a table per requirement', () => {
    assert.equal(verdict, 'FAIL');
    assert.match(md, /^\*\*Verdict: FAIL\*\* — 1 PASS, 1 FAIL, \d+ NOT MEASURED · target `compose`/m);
    assert.match(
      md,
      /## Needs attention\n\n- \*\*REQ-0\.2\/M1\*\* throughput: 9000 msg\/s \(bound > 10000 msg\/s\) — fix: `npm run bench -- kafka`/,
    );
    for (const r of REQUIREMENTS)
      assert.match(md, new RegExp(`^## ${r.id.replace('.', '\\.')} ${r.title}$`, 'm'));
    const rows = md.split('\n').filter((l) => /^\| (AC|M)\d+ \|/.test(l));
    assert.equal(rows.length, CRITERIA.length, 'one row per criterion');
    assert.match(
      md,
      /\| AC1 \| the cluster answers \(kubectl cluster-info\) \| ➖ NOT MEASURED \(by choice\) \| target compose has no Kubernetes \|/,
    );
    assert.match(
      md,
      /\| M3 \| [^|]+ \| ➖ NOT MEASURED \(beyond validate\) \| uptime over weeks cannot be measured in one run \|/,
    );
    assert.match(md, /\| AC5 \| [^|]+ \| ➖ NOT MEASURED \(not offered\) \| secret reload without restart/);
    assert.match(md, /`kafkajs \\\| 20000 messages`/, 'a pipe inside a cell is escaped');
  });

  it('figures against their bounds, tasks and environment', () => {
    assert.match(md, /^\| REQ-0\.2\/M1 \| 9000 msg\/s \| > 10000 msg\/s \| ❌ FAIL \|$/m);
    assert.match(md, /^\| REQ-0\.1\/M1 \| — \| < 2\.0 min \| ➖ NOT MEASURED \|$/m);
    assert.match(md, /^\| 0-1 \| ok \|$/m);
    assert.match(md, /^\| node \| 24\.21\.0 \|$/m);
  });
});

describe('the report: options and the end-to-end hops', () => {
  const { findings, verdict } = judgeAll({});
  const base = {
    v: REPORT_SCHEMA_VERSION,
    generatedAt: '2026-11-26T01:00:00.000Z',
    target: 'compose',
    verdict,
    counts: countStatuses(findings),
    findings,
    tasks: [],
    timeline: null,
    environment: {},
  };

  it('says which flags left measurements out or restarted something', () => {
    const md = renderMarkdown({
      ...base,
      options: { skipPerf: true, restartBroker: true, restartCluster: false },
      endToEnd: [],
    });
    assert.match(
      md,
      /^Options: `--skip-perf`: the load measurements were left out; `--restart-broker`: a broker restart was tried \(REQ-0\.2\/AC5 says how it went\)\.$/m,
    );
    assert.doesNotMatch(md, /## End-to-end probe/, 'no hop table when the probe could not start');
  });

  it('one row per hop: found or not, after how long, the query to run by hand', () => {
    const md = renderMarkdown({
      ...base,
      options: { skipPerf: false, restartBroker: false, restartCluster: false },
      endToEnd: [
        {
          name: 'consumed',
          found: true,
          ms: 35,
          query: 'GET /events/stream',
          detail: 'the consumer processed it',
        },
        {
          name: 'logged',
          found: false,
          ms: 60_000,
          query: 'LogQL {service="demo-service"} |= "t1"',
          detail: 'not found',
        },
      ],
    });
    assert.doesNotMatch(md, /^Options:/m, 'no options line when none was given');
    assert.match(
      md,
      /^\| consumed \| ✅ yes \| 35 ms \| `GET \/events\/stream` \| the consumer processed it \|$/m,
    );
    assert.match(
      md,
      /^\| logged \| ❌ no \| 60\.0 s \| `LogQL \{service="demo-service"\} \\\|= "t1"` \| not found \|$/m,
    );
  });
});
