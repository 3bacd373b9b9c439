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
    assert.match(
      r.out,
      new RegExp(
        `^✖ tempo +http://127\\.0\\.0\\.1:${never}/ready: connection refused \\(nothing listens there\\)$`,
        'm',
      ),
    );
    assert.match(r.out, /^missing after 6\.0 s: tempo$/m);
  });

  it('Kubernetes with no kubeconfig: E_KUBE_NO_CONFIG with its fix for each backend, not kubectl asking localhost:8080', async () => {
    const r = await script({ KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` }, ['--timeout', '3']);
    assert.equal(r.code, 4, r.out);
    for (const name of ['loki', 'tempo'])
      assert.match(
        r.out,
        new RegExp(`^✖ ${name} .*E_KUBE_NO_CONFIG: .*no kubeconfig.*fix: foundation run 0-2`, 'm'),
      );
    assert.match(r.out, /^✖ broker /m, 'every endpoint is still said');
    assert.doesNotMatch(r.out, /server localhost:8080/, 'kubectl’s own words for no kubeconfig');
  });

  it('as foundation status: URL credentials sent as basic auth, *.localhost at loopback; --json versioned', async () => {
    const user = 'ci';
    const password = 'wait-pw-4821';
    const guarded = createHttp((req, res) => {
      const ok =
        req.headers.authorization === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'who are you');
    });
    const port = await listen(guarded);
    const r = await script(
      {
        KAFKA_BROKERS: `127.0.0.1:${await listen(createTcp((sock) => sock.end()))}`,
        PROMETHEUS_URL: `http://${user}:${password}@127.0.0.1:${port}`,
        GRAFANA_URL: `http://${user}:${password}@grafana.localhost:${port}`,
        LOKI_URL: `http://${user}:${password}@127.0.0.1:${port}`,
        TEMPO_URL: `http://${user}:${password}@127.0.0.1:${port}`,
      },
      ['--timeout', '10', '--json'],
    );
    assert.equal(r.code, 0, r.out);
    const line = JSON.parse(r.out) as { v: number; type: string; ok: boolean; endpoints: { up: boolean }[] };
    assert.deepEqual([line.v, line.type, line.ok], [1, 'wait-for-infra', true]);
    assert.equal(line.endpoints.length, 5);
    assert.ok(!r.out.includes(password), 'the password is never printed');
  });

  it('each answer is said as it comes; Ctrl+C ends the wait with what answered and what did not yet (exit 130)', async () => {
    const broker = await listen(createTcp((s) => s.end()));
    const never = `http://127.0.0.1:${await closedPort()}`;
    const ws = workspace();
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'wait-for-infra.js'), '--workspace', ws.dir, '--timeout', '60'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: ws.dir,
          FOUNDATION_TARGET: 'compose',
          KAFKA_BROKERS: `127.0.0.1:${broker}`,
          PROMETHEUS_URL: never,
          GRAFANA_URL: never,
          LOKI_URL: never,
          TEMPO_URL: never,
        },
      },
    );
    let err = '';
    let sent = false;
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      // The broker answered (its line is out): the others are still being asked. Interrupt now, once.
      if (!sent && /broker \S+ answers/.test(err)) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(code, 130, err);
    assert.match(
      err,
      new RegExp(`^wait-for-infra: broker 127\\.0\\.0\\.1:${broker} answers \\(\\d+ ms\\)$`, 'm'),
    );
    assert.match(
      err,
      new RegExp(
        `E_CANCELLED: interrupted \\(SIGINT\\) after \\d+ s: broker 127\\.0\\.0\\.1:${broker} answered; no answer yet from prometheus, grafana, loki, tempo`,
      ),
    );
  });

  it('a bad --timeout is a usage error, also as a JSON line with --json', async () => {
    const bad = await script({}, ['--timeout', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--timeout soon is not a duration from 1 s to 60 min \(a bare number is seconds\)/);
    const json = await script({}, ['--timeout', 'soon', '--json']);
    assert.equal(json.code, 2);
    const line = JSON.parse(json.out.split('\n').find((l) => l.startsWith('{')) ?? '') as {
      type: string;
      code: string;
      exitCode: number;
    };
    assert.deepEqual([line.type, line.code, line.exitCode], ['error', 'E_USAGE', 2]);
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
      // 10 s, not 3: in a cold CI run (tools building beside it) 3 s once ended before Prometheus was said up.
      ['--timeout', '10', '--json'],
    );
    assert.equal(r.code, 4, r.out);
    const report = JSON.parse(r.out) as {
      ok: boolean;
      endpoints: { name: string; up: boolean; detail: string }[];
    };
    const of = (name: string) => report.endpoints.find((e) => e.name === name);
    assert.equal(of('prometheus')?.up, true, `a setting wins: ${r.out}`);
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
