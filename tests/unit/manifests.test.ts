import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { render } from '../../lib/generator/render.js';
import { ROOT } from '../helpers/cli.js';
import { validateObject } from '../helpers/k8s-models.js';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function docs(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);
}

function manifestsIn(dir: string): { file: string; m: Manifest }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'topics.yaml')
    .flatMap((f) => docs(readFileSync(join(dir, f), 'utf8')).map((m) => ({ file: f, m })));
}

const template = readTemplate(ROOT);
const serviceK8s = render(template.files, { name: 'orders-api', description: 'x' })
  .filter((f) => f.path.startsWith('k8s/') && !f.path.endsWith('kustomization.yaml'))
  .flatMap((f) => docs(f.content).map((m) => ({ file: f.path, m })));

const ALL = [
  ...manifestsIn(join(ROOT, 'k8s', 'namespaces')),
  ...manifestsIn(join(ROOT, 'k8s', 'redpanda')),
  ...serviceK8s,
];

describe('Kubernetes manifests', () => {
  for (const { file, m } of ALL) {
    it(`${file}: ${m.kind} ${m.metadata.name} validates against the Kubernetes schema`, () => {
      assert.doesNotThrow(() => {
        validateObject(m);
      });
    });
  }

  it('every kustomization lists files that exist', () => {
    for (const dir of [
      join(ROOT, 'k8s', 'namespaces'),
      join(ROOT, 'k8s', 'redpanda'),
      join(ROOT, 'service-template', 'k8s'),
    ]) {
      const k = docs(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0] as unknown as {
        resources: string[];
      };
      for (const r of k.resources) assert.ok(readdirSync(dir).includes(r), `${dir}/${r}`);
    }
  });

  const ns = manifestsIn(join(ROOT, 'k8s', 'namespaces')).map((x) => x.m);
  const inNs = (kind: string, namespace: string) =>
    ns.filter((m) => m.kind === kind && (m.metadata.namespace ?? m.metadata.name) === namespace);

  for (const name of ['infra', 'services']) {
    it(`namespace ${name} has a ResourceQuota and a LimitRange`, () => {
      assert.equal(inNs('Namespace', name).length, 1);
      assert.equal(inNs('ResourceQuota', name).length, 1);
      assert.equal(inNs('LimitRange', name).length, 1);
    });
  }

  it('services enforces Pod Security "restricted"; infra warns at "baseline"', () => {
    const labels = (n: string) => inNs('Namespace', n)[0]?.metadata.labels ?? {};
    assert.equal(labels('services')['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(labels('infra')['pod-security.kubernetes.io/warn'], 'baseline');
  });

  it('services denies by default and allows DNS, scraping from infra, and traffic to Redpanda', () => {
    const policies = new Map(
      inNs('NetworkPolicy', 'services').map((p) => [p.metadata.name, JSON.stringify(p.spec)]),
    );
    assert.match(
      policies.get('default-deny') ?? '',
      /"podSelector":\{\},"policyTypes":\["Ingress","Egress"\]/,
    );
    assert.match(policies.get('allow-dns') ?? '', /"port":53/);
    assert.match(policies.get('allow-from-infra') ?? '', /"kubernetes.io\/metadata.name":"infra"/);
    assert.match(
      policies.get('allow-to-platform') ?? '',
      /"app.kubernetes.io\/name":"redpanda".*"port":9092/,
    );
  });

  it('a shared cluster: infra’s Redpanda, PostgreSQL and Redis answer infra and services only; Console stays open', () => {
    const policy = inNs('NetworkPolicy', 'infra').find(
      (p) => p.metadata.name === 'data-stores-from-platform',
    );
    type In = { key: string; operator: string; values: string[] };
    const spec = policy?.spec as
      | {
          podSelector: { matchExpressions: In[] };
          policyTypes: string[];
          ingress: { from: { namespaceSelector: { matchExpressions: In[] } }[] }[];
        }
      | undefined;
    assert.deepEqual(spec?.policyTypes, ['Ingress'], 'ingress only: what the stores call is not limited');
    const matches = (exprs: In[], labels: Record<string, string>) =>
      exprs.every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''));
    // Every workload's pod labels in k8s/redpanda and k8s/data, through the policy's selector.
    const selected = ['redpanda', 'data']
      .flatMap((d) => manifestsIn(join(ROOT, 'k8s', d)))
      .map(
        ({ m }) =>
          m as { kind: string; spec?: { template?: { metadata?: { labels?: Record<string, string> } } } },
      )
      .filter((m) => ['Deployment', 'StatefulSet'].includes(m.kind))
      .map((m) => m.spec?.template?.metadata?.labels ?? {})
      .map((labels) => [
        labels['app.kubernetes.io/name'],
        matches(spec?.podSelector.matchExpressions ?? [], labels),
      ]);
    assert.deepEqual(Object.fromEntries(selected), {
      redpanda: true,
      'redpanda-console': false,
      postgres: true,
      redis: true,
    });
    const from = spec?.ingress.flatMap((r) => r.from) ?? [];
    assert.equal(from.length, 1);
    const ns = (name: string) =>
      matches(from[0]?.namespaceSelector.matchExpressions ?? [], { 'kubernetes.io/metadata.name': name });
    assert.deepEqual(['infra', 'services', 'kube-system', 'default', 'team-b'].map(ns), [
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('the service template runs restricted: non-root, no privilege escalation, read-only root filesystem', () => {
    const deployment = serviceK8s.find((x) => x.m.kind === 'Deployment')?.m as unknown as {
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: boolean };
            containers: { securityContext: Record<string, unknown>; resources: object }[];
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(
      [
        pod.containers[0]?.securityContext.allowPrivilegeEscalation,
        pod.containers[0]?.securityContext.readOnlyRootFilesystem,
      ],
      [false, true],
    );
  });

  it("the k3d cluster config: one server, no agents by default, k3s's Traefik kept, the ports the platform uses, on loopback", () => {
    const [config] = docs(readFileSync(join(ROOT, 'k8s', 'k3d-config.yaml'), 'utf8')) as unknown as {
      apiVersion: string;
      servers: number;
      agents: number;
      image: string;
      ports: { port: string }[];
      kubeAPI?: { hostIP?: string };
      options: { k3s?: { extraArgs?: { arg: string }[] } };
    }[];
    assert.equal(config?.apiVersion, 'k3d.io/v1alpha5');
    assert.deepEqual([config?.servers, config?.agents], [1, 0]);
    assert.match(config?.image ?? '', /^rancher\/k3s:v1\.35\.\d+-k3s1$/);
    assert.deepEqual(
      config?.ports.map((p) => p.port),
      ['127.0.0.1:8080:80', '127.0.0.1:8443:443', '127.0.0.1:19092:19092'],
    );
    // Nothing it publishes answers off this machine: the Console, Prometheus and Kafka have no login.
    assert.equal(config?.kubeAPI?.hostIP, '127.0.0.1');
    // The UIs' Ingress objects need k3s's bundled ingress controller (lib/endpoints).
    assert.ok(!(config?.options.k3s?.extraArgs ?? []).some((a) => a.arg.includes('traefik')));
  });
});
