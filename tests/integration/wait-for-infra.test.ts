// scripts/wait-for-infra against servers this test starts on loopback: one already up, one that comes up
// while it waits, one that never does; and the broker by TCP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createTcp, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';
import { useCluster } from '../helpers/cluster.js';

const cluster = await useCluster(); // its kubectl on PATH, for the Services asked through the API

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

function listen(server: Server | ReturnType<typeof createTcp>): Promise<number> {
  servers.push(server);
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      done((server.address() as AddressInfo).port);
    }),
  );
}

/** A port nothing listens on: opened, read, closed. */
async function closedPort(): Promise<number> {
  const s = createTcp();
  const port = await listen(s);
  s.close();
  return port;
}

function script(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  const ws = workspace();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'wait-for-infra.js'), '--workspace', ws.dir, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: ws.dir, FOUNDATION_TARGET: 'k3d', ...env },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      done({ code, out });
    });
  });
}

describe('scripts/wait-for-infra', { timeout: 60_000 }, () => {
  it('waits for what comes up late, then says which one never did and exits 4', async () => {
    const ready = createHttp((req, res) =>
      res.writeHead(req.url === '/-/ready' || req.url === '/api/health' ? 200 : 404).end('ok'),
    );
    const readyPort = await listen(ready);
    // Loki is not ready at first (503 twice): the script must ask again, however slow the machine is.
    let lokiAsked = 0;
    const late = createHttp((_req, res) => {
      lokiAsked++;
      res.writeHead(lokiAsked <= 2 ? 503 : 200).end(lokiAsked <= 2 ? 'Ingester not ready' : 'ready');
    });
    const latePort = await listen(late);
    const broker = await listen(createTcp((s) => s.end()));
    const never = await closedPort();
    const r = await script(
      {
        KAFKA_BROKERS: `127.0.0.1:${broker}`,
        PROMETHEUS_URL: `http://127.0.0.1:${readyPort}`,
        GRAFANA_URL: `http://127.0.0.1:${readyPort}`,
        LOKI_URL: `http://127.0.0.1:${latePort}`,
        TEMPO_URL: `http://127.0.0.1:${never}`,
      },
      ['--timeout', '6'],
    );
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, new RegExp(`^✔ broker 127\\.0\\.0\\.1:${broker} +up after [\\d.]+ s$`, 'm'));
    assert.match(r.out, /^✔ prometheus +up after/m);
    assert.match(r.out, /^✔ grafana +up after/m);
    assert.match(r.out, /^✔ loki +up after [\d.]+ s$/m);
    assert.equal(lokiAsked, 3, 'asked until it was ready, then no more');
    assert.match(r.out, new RegExp(`^✖ tempo +http://127\\.0\\.0\\.1:${never}/ready: ECONNREFUSED$`, 'm'));
    assert.match(r.out, /^missing after 6\.0 s: tempo$/m);
  });

  it('Kubernetes with no kubeconfig: E_KUBE_NO_CONFIG with its fix, at once, not kubectl asking localhost:8080', async () => {
    const r = await script({ KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` }, ['--timeout', '30']);
    assert.equal(r.code, 4, r.out);
    assert.match(r.out, /E_KUBE_NO_CONFIG: .*no kubeconfig/);
    assert.match(r.out, /fix: foundation run 0-2/);
    assert.doesNotMatch(r.out, /localhost:8080/);
  });

  it('a bad --timeout is a usage error', async () => {
    const bad = await script({}, ['--timeout', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--timeout soon is out of range/);
  });
});

describe('scripts/wait-for-infra on a real API server', { skip: cluster.skip, timeout: 60_000 }, () => {
  it('on cluster, what has no address is asked through the Kubernetes API, and its answer is said', async () => {
    const ready = createHttp((req, res) => res.writeHead(req.url === '/-/ready' ? 200 : 404).end('ok'));
    const readyPort = await listen(ready);
    const r = await script(
      {
        FOUNDATION_TARGET: 'cluster',
        KUBECONFIG: cluster.kubeconfig,
        KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
        PROMETHEUS_URL: `http://127.0.0.1:${readyPort}`,
      },
      ['--timeout', '3', '--json'],
    );
    assert.equal(r.code, 4, r.out);
    const report = JSON.parse(r.out) as {
      ok: boolean;
      endpoints: { name: string; up: boolean; detail: string }[];
    };
    const of = (name: string) => report.endpoints.find((e) => e.name === name);
    assert.equal(of('prometheus')?.up, true, 'a setting wins');
    // No such Services in this control plane: the API server's own answer, through kubectl get --raw.
    for (const [name, where] of [
      ['grafana', 'infra/kube-prometheus-stack-grafana:80/api/health'],
      ['loki', 'infra/loki:3100/ready'],
      ['tempo', 'infra/tempo:3200/ready'],
    ] as const) {
      assert.equal(of(name)?.up, false, name);
      assert.match(
        of(name)?.detail ?? '',
        new RegExp(`^${where} \\(through the Kubernetes API\\): .*not ?found`, 'i'),
      );
    }
  });
});
