// REQ-0.6/M2 "secret access is logged", from the API server's audit log in Loki ({job="kube-audit"}):
// the lines found, none, Loki away, and the targets where there is nothing to audit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpAnswer, HttpProbe } from '../../lib/ports/validation.js';
import { auditObservations, describeAudit } from '../../lib/validate/audit-evidence.js';
import { fakeHttp, json } from '../helpers/fake-http.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const event = (verb: string, name: string) =>
  JSON.stringify({
    kind: 'Event',
    level: 'Metadata',
    verb,
    user: { username: 'system:serviceaccount:infra:helm' },
    objectRef: { resource: 'secrets', namespace: 'infra', name },
  });
const streams = (lines: [number, string][]): HttpAnswer => ({
  ms: 1,
  ...json({
    status: 'success',
    data: {
      resultType: 'streams',
      result: [{ stream: { job: 'kube-audit' }, values: lines.map(([ms, l]) => [`${ms}000000`, l]) }],
    },
  }),
});

describe('REQ-0.6/M2: secret access is logged (the API audit log in Loki)', () => {
  const observe = async (answer: HttpAnswer | Error, target: 'k3d' | 'cluster' | 'compose' = 'k3d') => {
    const asked: string[] = [];
    const http: HttpProbe = {
      ...fakeHttp({}),
      get: (url) => {
        asked.push(url);
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    };
    return { o: (await auditObservations(http, 'http://loki', target, NOW))['REQ-0.6/M2'], asked };
  };

  it('lines found: PASS with how many and the newest (who, which), never data; the query covers 24 h', async () => {
    const { o, asked } = await observe(
      streams([
        [NOW - 60_000, event('get', 'app-secrets')],
        [NOW - 3_600_000, event('list', 'sh.helm.release.v1.loki.v1')],
      ]),
    );
    assert.ok(o?.kind === 'fact' && o.holds, JSON.stringify(o));
    assert.match(
      o.detail,
      /^2 requests on Secrets .*the newest: get infra\/app-secrets by system:serviceaccount:infra:helm at 2026-11-29T11:59:00\.000Z$/,
    );
    const q = new URL(asked[0] ?? '').searchParams;
    assert.equal(q.get('query'), '{job="kube-audit"} |= `"resource":"secrets"`');
    assert.equal(Number(q.get('start')) / 1e6, NOW - 24 * 3_600_000);
  });

  it('no line on k3d: FAIL, saying to check the log is on before recreating (that deletes data); on an existing cluster: not measured', async () => {
    const empty = streams([]);
    const { o } = await observe(empty);
    assert.ok(o?.kind === 'fact' && !o.holds);
    assert.match(
      o.fix ?? '',
      /^is the log on\? docker inspect .*grep audit-log-path — if not, only a new cluster has it \(scripts\/cluster-destroy deletes the cluster and its data.*check Alloy/,
    );
    const shared = (await observe(empty, 'cluster')).o;
    assert.ok(shared?.kind === 'absent' && /its operators'/.test(shared.reason));
  });

  it('Loki answering an error or not at all: an error naming it; Compose: nothing to audit, not asked', async () => {
    const bad = (await observe({ status: 500, ms: 3, body: 'boom' })).o;
    assert.ok(bad?.kind === 'error' && /HTTP 500: boom/.test(bad.reason));
    const away = (await observe(new Error('ECONNREFUSED'))).o;
    assert.ok(away?.kind === 'error' && /ECONNREFUSED/.test(away.reason));
    const compose = await observe(streams([]), 'compose');
    assert.ok(compose.o?.kind === 'absent' && /no secret store/.test(compose.o.reason));
    assert.deepEqual(compose.asked, []);
  });

  it('describes a line that is not an audit event without failing', () => {
    assert.equal(describeAudit('plain text'), 'a line that is not an audit event');
    assert.equal(describeAudit('{"verb":"watch"}'), 'watch secrets by unknown');
  });
});
