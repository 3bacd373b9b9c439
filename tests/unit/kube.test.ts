import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldDrift, objectDrift, shownValue } from '../../lib/k8s/diff.js';
import { FoundationError } from '../../lib/errors.js';
import { classifyKubeError } from '../../lib/k8s/errors.js';

describe('Kubernetes API errors', () => {
  const table: [string, unknown, string, RegExp][] = [
    [
      'no kubeconfig',
      new Error('no active cluster in the kubeconfig'),
      'E_KUBE_NO_CONFIG',
      /foundation run 0-2|KUBECONFIG/,
    ],
    [
      'unreachable',
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6443' },
      'E_KUBE_UNREACHABLE',
      /k3d cluster start/,
    ],
    [
      'unreachable (fetch cause)',
      { message: 'fetch failed', cause: { code: 'ECONNRESET' } },
      'E_KUBE_UNREACHABLE',
      /foundation run 0-2/,
    ],
    [
      'unreachable (wrapped twice, as fetch in the client does)',
      { message: 'request failed', cause: { message: 'fetch failed', cause: { code: 'ECONNREFUSED' } } },
      'E_KUBE_UNREACHABLE',
      /foundation run 0-2/,
    ],
    [
      'a credential plugin that is not installed',
      { message: 'spawn gke-gcloud-auth-plugin ENOENT', code: 'ENOENT' },
      'E_KUBE_NO_CONFIG',
      /users\[\]\.user\.exec\.command/,
    ],
    [
      'a kubeconfig file that is not there',
      { message: "ENOENT: no such file or directory, open '/nonexistent'", code: 'ENOENT' },
      'E_KUBE_NO_CONFIG',
      /point KUBECONFIG at a kubeconfig that exists/,
    ],
    [
      'a kind the cluster does not serve (no CRD)',
      {
        code: 404,
        message: 'HTTP-Code: 404',
        body: JSON.stringify({ kind: 'Status', message: 'the server could not find the requested resource' }),
      },
      'E_KUBE_NOT_FOUND',
      /Prometheus operator \(foundation run 0-4\)/,
    ],
    ['forbidden', { code: 403, message: 'Forbidden' }, 'E_KUBE_FORBIDDEN', /use-context/],
    ['unauthorized', { code: 401, message: 'Unauthorized' }, 'E_KUBE_FORBIDDEN', /admin rights/],
    ['not found', { code: 404, message: 'Not Found' }, 'E_KUBE_NOT_FOUND', /foundation run 0-2/],
    ['conflict', { code: 409, message: 'Apply failed with 1 conflict' }, 'E_KUBE_CONFLICT', /managed-fields/],
    ['invalid', { code: 422, message: 'spec.hard: Invalid value' }, 'E_KUBE_INVALID', /manifest/],
    ['bad request', { code: 400, message: 'HTTP-Code: 400' }, 'E_KUBE_INVALID', /manifest/],
    ['anything else', { code: 500, message: 'etcd timeout' }, 'E_KUBE_ERROR', /task log/],
  ];
  it('says what the API server said (its Status message), not the HTTP client’s dump', () => {
    const body = JSON.stringify({
      kind: 'Status',
      message: 'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value',
      code: 422,
    });
    const e = classifyKubeError(
      { code: 422, message: `HTTP-Code: 422\nBody: ${body}\nHeaders: {…}`, body },
      'apply Deployment services/x',
    );
    assert.equal(
      e.message,
      `apply Deployment services/x: the API rejected the object (Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value)`,
    );
  });

  for (const [name, error, code, fix] of table) {
    it(`${name} → ${code} with its fix`, () => {
      const e = classifyKubeError(error, 'apply ResourceQuota services/services-quota');
      assert.equal(e.code, code);
      assert.match(e.fix ?? '', fix);
      assert.match(e.message, /^apply ResourceQuota services\/services-quota: /);
      assert.equal(e.exitCode, 4);
    });
  }
});

describe('errors that are not the API server’s', () => {
  it('a Foundation error (a cancelled watch, a rollout not finished) passes through; an abort is E_CANCELLED', () => {
    const cancelled = new FoundationError('E_CANCELLED', 'cancelled by SIGINT', 'run it again');
    assert.equal(classifyKubeError(cancelled, 'rollout of Deployment web'), cancelled);
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const e = classifyKubeError(abort, 'rollout of Deployment web');
    assert.deepEqual([e.code, e.exitCode], ['E_CANCELLED', 130]);
  });
});

describe('object drift', () => {
  const desired = {
    kind: 'ResourceQuota',
    metadata: { name: 'q', labels: { a: '1' } },
    spec: { hard: { pods: '20', 'limits.memory': '1Gi' } },
  };

  it('ignores what the server adds and what desired does not set', () => {
    const live = {
      ...desired,
      metadata: {
        ...desired.metadata,
        uid: 'u',
        resourceVersion: '7',
        managedFields: [{}],
        labels: { a: '1', extra: 'x' },
      },
      spec: { hard: { pods: '20', 'limits.memory': '1Gi' }, scopes: [] },
      status: { used: {} },
    };
    assert.deepEqual(objectDrift(desired, live), []);
  });

  it('names every differing path', () => {
    const live = { ...desired, metadata: { name: 'q', labels: {} }, spec: { hard: { pods: '99' } } };
    assert.deepEqual(objectDrift(desired, live), [
      'metadata.labels.a',
      'spec.hard.pods',
      'spec.hard.limits.memory',
    ]);
  });

  it('drift as data: each path with what it should be and what it is; secrets never shown', () => {
    const live = { ...desired, spec: { hard: { pods: '99', 'limits.memory': '8Gi' } } };
    assert.deepEqual(
      fieldDrift(desired, live).map((d) => [d.path, shownValue(d.want, false), shownValue(d.have, false)]),
      [
        ['spec.hard.pods', '20', '99'],
        ['spec.hard.limits.memory', '1Gi', '8Gi'],
      ],
    );
    assert.equal(shownValue('s3cr3t-value', true), '***');
    assert.equal(shownValue(undefined, true), null, 'absent is absent, also for a Secret');
    assert.equal(shownValue({ a: 1 }, false), '{"a":1}');
    assert.equal(shownValue('x'.repeat(500), false)?.length, 120);
  });

  it('compares lists whole', () => {
    assert.deepEqual(objectDrift({ ports: [{ port: 53 }] }, { ports: [{ port: 53 }, { port: 54 }] }), [
      'ports',
    ]);
    assert.deepEqual(objectDrift({ ports: [{ port: 53 }] }, { ports: [{ port: 54 }] }), ['ports[0].port']);
  });
});
