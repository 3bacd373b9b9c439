import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deployTag,
  healthy,
  probePaths,
  renderDeploy,
  serviceCandidates,
  type DeployRecord,
} from '../../lib/deploy/plan.js';
import { deployObservations, parseDeployRecord } from '../../lib/validate/deploy-evidence.js';
import { proxyAnswer } from '../../lib/k8s/proxy.js';
import { withImage } from '../../lib/k8s/manifests.js';
import type { KubeObject } from '../../lib/ports/kube.js';

describe('deployment planning', () => {
  it('tags an image by its ID: new code gets a new tag, the same code the same one', () => {
    assert.equal(
      deployTag('orders-api', '1.2.0', `sha256:${'3f'.repeat(32)}`),
      'orders-api:1.2.0-3f3f3f3f3f3f',
    );
    assert.equal(deployTag('a', '0.1.0', 'abcdef0123456789'), 'a:0.1.0-abcdef012345');
  });

  it('looks for a named service among generated services, then the examples, then the package’s', () => {
    assert.deepEqual(serviceCandidates('demo-service', '/pkg'), [
      'services/demo-service',
      'examples/demo-service',
      '/pkg/examples/demo-service',
    ]);
  });

  it('health is the workload’s own probes, readiness first, each path once', () => {
    const deployment = (c: Record<string, unknown>) => ({
      kind: 'Deployment',
      spec: { template: { spec: { containers: [c] } } },
    });
    assert.deepEqual(
      probePaths(
        deployment({
          readinessProbe: { httpGet: { path: '/readyz' } },
          livenessProbe: { httpGet: { path: '/livez' } },
        }),
      ),
      ['/readyz', '/livez'],
    );
    assert.deepEqual(
      probePaths(
        deployment({
          livenessProbe: { httpGet: { path: '/h' } },
          readinessProbe: { httpGet: { path: '/h' } },
        }),
      ),
      ['/h'],
    );
    assert.deepEqual(probePaths(deployment({ readinessProbe: { tcpSocket: { port: 80 } } })), []);
    assert.deepEqual(probePaths(undefined), []);
  });

  it('healthy: nothing failed and something passed; a check that could not be made is not a pass', () => {
    const c = (ok: boolean | null) => ({ name: 'x', ok, detail: '' });
    assert.equal(healthy([c(true), c(null)]), true);
    assert.equal(healthy([c(true), c(false)]), false);
    assert.equal(healthy([c(null)]), false);
    assert.equal(healthy([]), false);
  });

  it('the summary lists every stage with its time, the health checks, and the error with its fix', () => {
    const text = renderDeploy({
      v: 1,
      service: 'orders-api',
      target: 'k3d',
      dir: 'services/orders-api',
      image: 'orders-api:0.1.0-3f3f3f3f3f3f',
      startedAt: '2026-11-26T04:00:00.000Z',
      totalMs: 41_200,
      ok: false,
      stages: [
        { name: 'build', ms: 30_100, detail: 'orders-api:0.1.0-3f3f3f3f3f3f' },
        { name: 'rollout', ms: 9_000, detail: 'every replica updated and ready' },
      ],
      health: [
        { name: 'pods ready', ok: true, detail: 'every replica passed its readiness probe' },
        { name: 'GET /readyz through the API server', ok: false, detail: 'kafka: not connected' },
      ],
      error: { code: 'E_NOT_CONVERGED', message: 'health checks did not pass', fix: 'kubectl logs' },
    });
    assert.equal(
      text,
      [
        '',
        '✖ orders-api not deployed on k3d in 41.2 s (orders-api:0.1.0-3f3f3f3f3f3f)',
        '  build    30.1 s  orders-api:0.1.0-3f3f3f3f3f3f',
        '  rollout   9.0 s  every replica updated and ready',
        'health:',
        '  ✔ pods ready: every replica passed its readiness probe',
        '  ✖ GET /readyz through the API server: kafka: not connected',
        'error: E_NOT_CONVERGED: health checks did not pass',
        '  fix: kubectl logs',
        '',
      ].join('\n'),
    );
  });
});

describe('a GET through the API server’s service proxy', () => {
  it('2xx is ok; a service answering badly failed; no route to the pods is unreachable', () => {
    assert.deepEqual(proxyAnswer(0, '{"status":"ready"}\n', ''), {
      status: 'ok',
      detail: '{"status":"ready"}',
    });
    assert.equal(
      proxyAnswer(
        1,
        '',
        'Error from server (ServiceUnavailable): the server is currently unable to handle the request (get services demo-service:http)',
      ).status,
      'failed',
    );
    for (const e of [
      'Error from server (ServiceUnavailable): no endpoints available for service "demo-service:http"',
      'Error from server: error trying to reach service: dial tcp 10.0.0.9:3000: i/o timeout',
      'Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused',
      'Error from server (Forbidden): services "demo-service:http" is forbidden: User "dev" cannot get resource "services/proxy"',
      'Error from server (Forbidden): resolve_deny: denied destination',
    ])
      assert.equal(proxyAnswer(1, '', e).status, 'unreachable', e);
    assert.deepEqual(proxyAnswer(null, '', ''), { status: 'unreachable', detail: 'kubectl exited null' });
    assert.equal(proxyAnswer(127, '', 'kubectl: not found').status, 'unreachable');
  });
});

describe('REQ-0.5/AC5–AC7 and M2 from the last recorded deployment', () => {
  const SAME_DAY = Date.parse('2026-11-26T05:00:00.000Z');
  const record = (over: Partial<DeployRecord> = {}): DeployRecord => ({
    v: 1,
    service: 'demo-service',
    target: 'k3d',
    dir: 'examples/demo-service',
    image: 'demo-service:0.1.0-3f3f3f3f3f3f',
    startedAt: '2026-11-26T04:00:00.000Z',
    totalMs: 52_300,
    ok: true,
    stages: [
      { name: 'build', ms: 30_000, detail: 'x' },
      { name: 'rollout', ms: 12_000, detail: 'y' },
    ],
    health: [
      { name: 'pods ready', ok: true, detail: 'ready' },
      { name: 'GET /readyz through the API server', ok: null, detail: 'could not be reached from here' },
    ],
    ...over,
  });

  it('a good deployment: one command, stages timed, health passed (unreachable said), its time', () => {
    const o = deployObservations(record(), 'k3d', SAME_DAY);
    assert.equal(o['REQ-0.5/AC5']?.kind === 'fact' && o['REQ-0.5/AC5'].holds, true);
    assert.match(
      o['REQ-0.5/AC6']?.kind === 'fact' ? o['REQ-0.5/AC6'].detail : '',
      /build 30\.0 s · rollout 12\.0 s/,
    );
    assert.match(
      o['REQ-0.5/AC7']?.kind === 'fact' ? o['REQ-0.5/AC7'].detail : '',
      /passed: pods ready.*not checkable: GET \/readyz/,
    );
    assert.deepEqual(o['REQ-0.5/M2']?.kind === 'value' && [o['REQ-0.5/M2'].value, o['REQ-0.5/M2'].unit], [
      52_300,
      'ms',
    ]);
  });

  it('a failed one fails AC5 with its own fix, and has no deployment time', () => {
    const o = deployObservations(
      record({
        ok: false,
        health: [],
        error: { code: 'E_NOT_CONVERGED', message: 'did not roll out', fix: 'kubectl describe' },
      }),
      'k3d',
      SAME_DAY,
    );
    assert.deepEqual(o['REQ-0.5/AC5'], {
      kind: 'fact',
      holds: false,
      detail: 'it failed: did not roll out',
      how: 'foundation deploy demo-service on 2026-11-26T04:00:00.000Z, today (.foundation/deploys/latest.json)',
      fix: 'kubectl describe',
    });
    assert.equal(o['REQ-0.5/AC7']?.kind === 'fact' && o['REQ-0.5/AC7'].holds, false);
    assert.equal(o['REQ-0.5/M2']?.kind, 'absent');
  });

  it('none recorded, another target, or not a record: NOT MEASURED, saying which', () => {
    assert.match(
      JSON.stringify(deployObservations(null, 'k3d', SAME_DAY)['REQ-0.5/AC5']),
      /run foundation deploy demo-service/,
    );
    assert.match(
      JSON.stringify(deployObservations(record(), 'compose', SAME_DAY)['REQ-0.5/M2']),
      /was on k3d, not compose/,
    );
    // A month old: it says nothing of main as it is now.
    const old = deployObservations(record(), 'k3d', Date.parse('2026-12-26T04:00:00.000Z'))['REQ-0.5/AC5'];
    assert.ok(old?.kind === 'absent' && /is 30 days old/.test(old.reason));
    const week = Date.parse('2026-12-03T04:00:00.000Z'); // exactly 7 days: still counts; a minute more: not
    assert.equal(deployObservations(record(), 'k3d', week)['REQ-0.5/AC5']?.kind, 'fact');
    assert.equal(deployObservations(record(), 'k3d', week + 60_000)['REQ-0.5/AC5']?.kind, 'absent');
    const undated = deployObservations(record({ startedAt: 'soon' }), 'k3d', SAME_DAY)['REQ-0.5/AC5'];
    assert.ok(undated?.kind === 'absent' && /of no readable time/.test(undated.reason));
    assert.equal(parseDeployRecord('{"v":2}'), null);
    assert.equal(parseDeployRecord('not json'), null);
    assert.equal(parseDeployRecord(JSON.stringify(record()))?.service, 'demo-service');
  });
});

describe('the built image into the service’s workload', () => {
  const workload = (name: string, ...containers: string[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { spec: { containers: containers.map((c) => ({ name: c, image: `${c}:old` })) } } },
  });
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } };
  const images = (objects: KubeObject[]) =>
    withImage(objects, 'web:2').flatMap((o) =>
      (
        (o.spec as { template?: { spec: { containers: { name: string; image: string }[] } } } | undefined)
          ?.template?.spec.containers ?? []
      ).map((c) => `${o.metadata?.name ?? ''}/${c.name}=${c.image}`),
    );

  it('every container named app; none so: the only container of the only workload; others keep theirs', () => {
    assert.deepEqual(images([workload('web', 'app', 'sidecar'), workload('cache', 'redis'), service]), [
      'web/app=web:2',
      'web/sidecar=sidecar:old',
      'cache/redis=redis:old',
    ]);
    assert.deepEqual(images([workload('web', 'web'), service]), ['web/web=web:2']);
    assert.deepEqual(withImage([service], 'web:2'), [service], 'no workload: as they are');
  });

  it('several workloads or containers, none named app: refused, naming them and the fix', () => {
    for (const objects of [
      [workload('web', 'web', 'sidecar')],
      [workload('web', 'web'), workload('cache', 'redis')],
    ])
      assert.throws(
        () => withImage(objects, 'web:2'),
        (e: Error & { code?: string; fix?: string }) =>
          e.code === 'E_CONFIG_INVALID' &&
          /^no container named app among Deployment web/.test(e.message) &&
          /name the service’s container app/.test(e.fix ?? ''),
      );
  });
});
