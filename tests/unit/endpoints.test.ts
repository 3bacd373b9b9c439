import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { uiIngress, uiIngresses } from '../../lib/endpoints/ingress.js';
import {
  GRAFANA_PASSWORD_COMMAND,
  INGRESS,
  UI_NAMES,
  platformEndpoints,
  type Endpoint,
} from '../../lib/endpoints/list.js';
import { availableEndpoints, endpointRecapLines } from '../../lib/endpoints/recap.js';
import { formatStatus, judgeEndpoint, statusExitCode } from '../../lib/endpoints/status.js';
import type { TaskResult } from '../../lib/model/outcome.js';
import { withoutCredentials } from '../../lib/commands/open.js';
import { taskResult } from '../helpers/fixtures.js';
import type { Reach } from '../../lib/ports/validation.js';
import { buildSummary, formatRecap } from '../../lib/report/summary.js';
import { ROOT } from '../helpers/cli.js';

const yamlAt = (...path: string[]): unknown => parse(readFileSync(join(ROOT, ...path), 'utf8'));
const byName = (list: readonly Endpoint[], name: string): Endpoint => {
  const e = list.find((x) => x.name === name);
  assert.ok(e, `no endpoint ${name}`);
  return e;
};

describe('the endpoint list', () => {
  it('k3d: every UI at http://<name>.localhost:8080; compose: its fixed port on 127.0.0.1; cluster: none', () => {
    assert.deepEqual(
      platformEndpoints('k3d').map((e) => e.url),
      UI_NAMES.map((n) => `http://${n}.localhost:8080`),
    );
    assert.deepEqual(
      platformEndpoints('compose').map((e) => e.url),
      ['http://127.0.0.1:3000', 'http://127.0.0.1:8080', 'http://127.0.0.1:9090', 'http://127.0.0.1:9093'],
    );
    assert.deepEqual(
      platformEndpoints('cluster').map((e) => e.url),
      [null, null, null, null],
    );
    assert.match(byName(platformEndpoints('cluster'), 'grafana').hint, /port-forward .*then set GRAFANA_URL/);
  });

  it('a setting wins over the target’s address (trailing slash dropped)', () => {
    const list = platformEndpoints('cluster', { ALERTMANAGER_URL: 'http://127.0.0.1:19093/' });
    assert.equal(byName(list, 'alertmanager').url, 'http://127.0.0.1:19093');
    assert.equal(byName(list, 'grafana').url, null);
  });

  it('who makes each UI available: 0-4 and 0-3 on Kubernetes, 0-7 on Compose', () => {
    assert.deepEqual(
      platformEndpoints('k3d').map((e) => e.task),
      ['0-4', '0-3', '0-4', '0-4'],
    );
    assert.deepEqual(new Set(platformEndpoints('compose').map((e) => e.task)), new Set(['0-7']));
  });

  it('Grafana’s login names the user and the command that prints the password, never a value', () => {
    const g = byName(platformEndpoints('k3d'), 'grafana');
    assert.match(g.login, /user admin/);
    assert.ok(g.login.includes(GRAFANA_PASSWORD_COMMAND));
  });
});

describe('k3d: the cluster config, the ingress entrypoint and the addresses agree', () => {
  const config = yamlAt('k8s', 'k3d-config.yaml') as {
    ports: { port: string; nodeFilters: string[] }[];
    options?: { k3s?: { extraArgs?: { arg: string }[] } };
  };

  it('the load balancer maps 127.0.0.1:<the addresses’ port> to Traefik’s web entrypoint port', () => {
    const ports = new Set(platformEndpoints('k3d').map((e) => new URL(e.url ?? '').port));
    assert.deepEqual([...ports], [String(INGRESS.hostPort)]);
    const mapping = config.ports.find((p) => p.port.endsWith(`:${INGRESS.servicePort}`));
    assert.ok(mapping, `no mapping to port ${INGRESS.servicePort}`);
    assert.equal(mapping.port, `127.0.0.1:${INGRESS.hostPort}:${INGRESS.servicePort}`);
    assert.deepEqual(mapping.nodeFilters, ['loadbalancer']);
  });

  it('k3s’s bundled Traefik is not disabled', () => {
    const args = (config.options?.k3s?.extraArgs ?? []).map((a) => a.arg);
    assert.ok(!args.some((a) => /disable.*traefik/.test(a)), args.join(' '));
  });

  it('each Ingress: class traefik, entrypoint web, the address’s host, a Service backend', () => {
    for (const e of platformEndpoints('k3d')) {
      const ing = uiIngress(e.name, 'infra') as {
        metadata: { annotations: Record<string, string>; namespace: string };
        spec: {
          ingressClassName: string;
          rules: { host: string; http: { paths: { path: string; backend: { service: unknown } }[] } }[];
        };
      };
      assert.equal(ing.spec.ingressClassName, INGRESS.className);
      assert.equal(
        ing.metadata.annotations['traefik.ingress.kubernetes.io/router.entrypoints'],
        INGRESS.entrypoint,
      );
      assert.equal(ing.spec.rules[0]?.host, new URL(e.url ?? '').hostname);
      assert.equal(ing.spec.rules[0]?.http.paths[0]?.path, '/');
    }
  });

  it('the Ingress objects are rendered on k3d only (not behind a shared cluster’s ingress)', () => {
    assert.equal(uiIngresses(['console'], 'k3d', 'infra').length, 1);
    assert.deepEqual(uiIngresses(['console'], 'cluster', 'infra'), []);
    assert.deepEqual(uiIngresses(['grafana'], 'compose', 'infra'), []);
  });

  it('the Console’s backend is the Service and port of k8s/redpanda/console.yaml', () => {
    const docs = readFileSync(join(ROOT, 'k8s', 'redpanda', 'console.yaml'), 'utf8').split(/^---$/m);
    const svc = docs
      .map(
        (d) => parse(d) as { kind: string; metadata: { name: string }; spec: { ports: { port: number }[] } },
      )
      .find((d) => d.kind === 'Service');
    const backend = (
      uiIngress('console', 'infra').spec as {
        rules: { http: { paths: { backend: { service: { name: string; port: { number: number } } } }[] } }[];
      }
    ).rules[0]?.http.paths[0]?.backend.service;
    assert.equal(backend?.name, svc?.metadata.name);
    assert.ok(svc?.spec.ports.some((p) => p.port === backend?.port.number));
  });
});

describe('compose: the addresses are the published ports, all bound to 127.0.0.1', () => {
  const infra = yamlAt('compose', 'docker-compose.infra.yml') as {
    services: Record<string, { ports?: string[] }>;
  };
  const app = yamlAt('compose', 'docker-compose.yml') as { services: Record<string, { ports?: string[] }> };

  it('each UI’s port is published by its service as 127.0.0.1:PORT:PORT', () => {
    for (const e of platformEndpoints('compose')) {
      const port = new URL(e.url ?? '').port;
      assert.ok(
        infra.services[e.name]?.ports?.includes(`127.0.0.1:${port}:${port}`),
        `${e.name}: ${String(infra.services[e.name]?.ports)}`,
      );
    }
  });

  it('no service of either file publishes a port beyond loopback', () => {
    for (const [name, s] of [...Object.entries(infra.services), ...Object.entries(app.services)])
      for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${p}`);
  });
});

describe('status: what a probe found', () => {
  const [grafana] = platformEndpoints('k3d') as [Endpoint];
  const compose = byName(platformEndpoints('compose'), 'prometheus');
  const cases: [string, Endpoint, Reach | null, string, RegExp][] = [
    ['200 → up', grafana, { kind: 'answered', status: 200, ms: 12 }, 'up', /HTTP 200 in 12 ms/],
    ['302 → up', grafana, { kind: 'answered', status: 302, ms: 3 }, 'up', /HTTP 302/],
    [
      '404 through the ingress',
      grafana,
      { kind: 'answered', status: 404, ms: 3 },
      'down',
      /no Ingress routes/,
    ],
    [
      '502 through the ingress',
      grafana,
      { kind: 'answered', status: 502, ms: 3 },
      'down',
      /no ready backend/,
    ],
    [
      '503 from a port',
      compose,
      { kind: 'answered', status: 503, ms: 3 },
      'down',
      /HTTP 503 from \/-\/ready/,
    ],
    ['no answer in time', grafana, { kind: 'timeout', ms: 1000 }, 'slow', /no answer in 1\.0 s/],
    ['refused', grafana, { kind: 'failed', reason: 'connection refused', ms: 1 }, 'down', /refused/],
    ['no address', grafana, null, 'no address', /no address/],
  ];
  for (const [name, e, r, state, detail] of cases)
    it(name, () => {
      const s = judgeEndpoint(e, r, 1000);
      assert.equal(s.state, state);
      assert.match(s.detail, detail);
    });

  it('exit 3 when one is down or slow; 0 when all with an address answer', () => {
    const st = (r: Reach | null) => judgeEndpoint(grafana, r, 1000);
    const up = st({ kind: 'answered', status: 200, ms: 1 });
    assert.equal(statusExitCode([up, st(null)]), 0);
    assert.equal(statusExitCode([up, st({ kind: 'timeout', ms: 1000 })]), 3);
    assert.equal(statusExitCode([up, st({ kind: 'failed', reason: 'x', ms: 1 })]), 3);
  });

  it('the table: one row per UI with address, state, login; then each problem and its fix', () => {
    const rows = platformEndpoints('k3d').map((e, i) =>
      judgeEndpoint(
        e,
        i === 0 ? { kind: 'answered', status: 200, ms: 7 } : { kind: 'timeout', ms: 900 },
        900,
      ),
    );
    const text = formatStatus(rows, { target: 'k3d', timeoutMs: 900 });
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /Platform UIs \(target k3d, probe timeout 0\.9 s\)/);
    assert.match(lines[1] ?? '', /^ {2}name +address +state +login$/);
    assert.match(lines[2] ?? '', /^ {2}grafana +http:\/\/grafana\.localhost:8080 +✔ up 7 ms +user admin/);
    assert.match(lines[3] ?? '', /^ {2}console +http:\/\/console\.localhost:8080 +◔ slow +none/);
    assert.match(text, /console: no answer in 0\.9 s\n {6}fix: foundation run 0-3/);
    assert.match(text, /docs\/observability\.md#addresses/);
  });
});

describe('the recap ends with the UIs the run made available', () => {
  const k3d = platformEndpoints('k3d');

  it('their owning task ran and is ok or changed; a checked dependency or a failure adds none', () => {
    const names = (tasks: TaskResult[], mode = 'run') =>
      availableEndpoints({ mode, tasks }, k3d).map((e) => e.name);
    assert.deepEqual(names([taskResult('0-4', 'changed'), taskResult('0-3', 'ok', { gate: true })]), [
      'grafana',
      'prometheus',
      'alertmanager',
    ]);
    assert.deepEqual(names([taskResult('0-3', 'ok')]), ['console']);
    assert.deepEqual(names([taskResult('0-3', 'failed'), taskResult('0-4', 'blocked')]), []);
    assert.deepEqual(names([taskResult('0-3', 'ok'), taskResult('0-4', 'ok')], 'plan'), []);
    assert.deepEqual(
      availableEndpoints(
        { mode: 'run', tasks: [taskResult('0-7', 'changed')] },
        platformEndpoints('compose'),
      ).map((e) => e.name),
      [...UI_NAMES],
    );
  });

  it('formatRecap: the totals, then the addresses and logins as the last lines', () => {
    const summary = buildSummary({
      runId: 'r1',
      mode: 'run',
      target: 'k3d',
      startedAt: '2026-11-26T00:00:00.000Z',
      durationMs: 1500,
      runDir: '.foundation/runs/r1',
      tasks: [taskResult('0-3', 'changed'), taskResult('0-4', 'ok')],
    });
    const lines = formatRecap(summary).split('\n');
    const totals = lines.findIndex((l) => l.includes('Logs: .foundation/runs/r1/'));
    assert.ok(totals > 0);
    assert.equal(lines[totals + 1], '');
    assert.match(lines[totals + 2] ?? '', /^Open the platform/);
    assert.deepEqual(
      lines.slice(totals + 3).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')),
      [
        'grafana http://grafana.localhost:8080',
        'console http://console.localhost:8080',
        'prometheus http://prometheus.localhost:8080',
        'alertmanager http://alertmanager.localhost:8080',
      ],
    );
    assert.equal(lines.length, totals + 7);
  });

  it('a run that made none available ends with its totals, as before', () => {
    const lines = endpointRecapLines({ mode: 'run', target: 'k3d', tasks: [taskResult('0-8', 'ok')] });
    assert.deepEqual(lines, []);
  });
});

describe('open: the address without credentials', () => {
  it('drops user, password and credential parameters, keeps the rest; an address without them is as given', () => {
    const cases: [string, string, boolean][] = [
      ['http://u:p@127.0.0.1:3000/grafana?x=1#y', 'http://127.0.0.1:3000/grafana?x=1#y', true],
      ['http://glsa_token@grafana.localhost:8080', 'http://grafana.localhost:8080', true],
      ['http://grafana.localhost:8080', 'http://grafana.localhost:8080', false],
      [
        'http://g.example/d?orgId=1&token=t0k&x=2#access_token=a1&tab=3',
        'http://g.example/d?orgId=1&x=2#tab=3',
        true,
      ],
      ['http://g.example/?X-Goog-Signature=s1', 'http://g.example/', true],
      ['not a url', 'not a url', false],
    ];
    for (const [address, url, userinfo] of cases)
      assert.deepEqual(withoutCredentials(address), { url, userinfo }, address);
  });
});
