// Foundation's audit policy (k8s/audit/policy.yaml, REQ-0.6/M2 "secret access is logged") on the real API
// server, which runs with it: every request on a Secret is an event at the Metadata level (who, what,
// which), its data never; nothing else is logged.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { kubectl, useCluster } from '../helpers/cluster.js';

const cluster = await useCluster();
const auditLog = cluster.skip === false ? cluster.env.KUBE_AUDIT_LOG : undefined;
const skip =
  cluster.skip !== false
    ? cluster.skip
    : auditLog === undefined
      ? 'the API server in use writes no audit log here'
      : false;

interface AuditEvent {
  level: string;
  verb: string;
  stage: string;
  user?: { username?: string };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  requestObject?: unknown;
  responseObject?: unknown;
}

describe('the audit policy on the real API server', { skip, timeout: 120_000 }, () => {
  it('a Secret created, read and deleted: three Metadata events naming it and who; its value nowhere; ConfigMaps not logged', () => {
    const id = randomUUID().slice(0, 8);
    const ns = `audit-${id}`;
    const value = `audit-probe-${randomUUID()}`;
    kubectl(['create', 'namespace', ns]);
    kubectl(['-n', ns, 'create', 'secret', 'generic', `s-${id}`, `--from-literal=password=${value}`]);
    kubectl(['-n', ns, 'get', 'secret', `s-${id}`, '-o', 'json']);
    kubectl(['-n', ns, 'create', 'configmap', `c-${id}`, '--from-literal=a=b']);
    kubectl(['-n', ns, 'get', 'configmap', `c-${id}`]);
    kubectl(['-n', ns, 'delete', 'secret', `s-${id}`]);
    // The log backend writes before the API answers (blocking mode, the default): no wait is needed.
    const text = readFileSync(auditLog ?? '', 'utf8');
    assert.ok(!text.includes(value), 'the Secret’s value is never in the audit log');
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((e) => e.objectRef?.namespace === ns);
    const secretEvents = events.filter((e) => e.objectRef?.name === `s-${id}`);
    // kubectl delete then reads the Secret until it is gone: a fourth event, a get, may follow.
    assert.deepEqual(
      secretEvents.slice(0, 3).map((e) => [e.verb, e.level, e.stage, e.objectRef?.resource]),
      [
        ['create', 'Metadata', 'ResponseComplete', 'secrets'],
        ['get', 'Metadata', 'ResponseComplete', 'secrets'],
        ['delete', 'Metadata', 'ResponseComplete', 'secrets'],
      ],
    );
    assert.ok(
      secretEvents.every(
        (e) =>
          e.user?.username !== undefined && e.requestObject === undefined && e.responseObject === undefined,
      ),
    );
    assert.deepEqual(
      events.filter((e) => e.objectRef?.resource !== 'secrets'),
      [],
      'only Secrets are audited (the namespace and ConfigMap requests are not)',
    );
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  });
});
