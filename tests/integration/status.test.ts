// `foundation status` against real servers on loopback: the Prometheus and Alertmanager test servers, a
// small HTTP server standing in for a UI, one that accepts and never answers (slow), and a closed port
// (down). Each is shown as it is, within the probe timeout; no secret of .env reaches the output.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createReachProbe } from '../../lib/adapters/reach.js';
import { platformEndpoints } from '../../lib/endpoints/list.js';
import { probeEndpoints, type EndpointStatus } from '../../lib/endpoints/status.js';
import { cli, workspace } from '../helpers/cli.js';
import { useServer } from './servers.js';

const prometheus = await useServer('prometheus');
const alertmanager = await useServer('alertmanager');
const skip = prometheus.skip || alertmanager.skip;

const SECRET = 'status-test-Grafana-pw-7d1c0b5e9a';
const TIMEOUT_MS = 1_000;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** A port that was just free: nothing listens on it. */
async function closedPort(): Promise<string> {
  const s = createServer();
  const url = await listen(s);
  await new Promise((r) => s.close(r));
  return url;
}

describe('foundation status against real servers on loopback', { skip }, () => {
  const ui = createServer((req, res) => {
    res.writeHead(req.url === '/admin/health' || req.url === '/api/health' ? 200 : 404).end('ok');
  });
  const hung = createServer(() => undefined); // accepts, reads the request, never answers
  let uiUrl = '';
  let hungUrl = '';
  let downUrl = '';
  const ws = workspace();

  before(async () => {
    [uiUrl, hungUrl, downUrl] = await Promise.all([listen(ui), listen(hung), closedPort()]);
    writeFileSync(join(ws.dir, '.env'), `GRAFANA_ADMIN_PASSWORD=${SECRET}\n`);
  });
  after(() => {
    for (const s of [ui, hung]) {
      s.closeAllConnections();
      s.close();
    }
  });

  const env = (over: Record<string, string>) => ({
    FOUNDATION_TARGET: 'cluster',
    PROMETHEUS_URL: prometheus.env.PROMETHEUS_URL ?? '',
    ALERTMANAGER_URL: alertmanager.env.ALERTMANAGER_URL ?? '',
    ...over,
  });

  it('up, slow and down shown as they are, exit 3, within the timeout; no secret', async () => {
    const args = ['status', '--timeout', String(TIMEOUT_MS)];
    const vars = env({ GRAFANA_URL: hungUrl, CONSOLE_URL: downUrl });
    const text = await cli(args, ws, vars);
    const json = await cli(['--json', ...args], ws, vars);
    assert.equal(text.code, 3, text.stderr);
    assert.equal(json.code, 3, json.stderr);
    const line = JSON.parse(json.stdout) as { v: number; type: string; endpoints: EndpointStatus[] };
    assert.deepEqual([line.v, line.type], [1, 'status']);
    const by = new Map(line.endpoints.map((e) => [e.name, e]));
    assert.deepEqual(
      ['grafana', 'console', 'prometheus', 'alertmanager'].map((n) => by.get(n)?.state),
      ['slow', 'down', 'up', 'up'],
    );
    const slow = by.get('grafana')?.ms ?? 0;
    assert.ok(slow >= TIMEOUT_MS && slow < TIMEOUT_MS + 1_000, `the hung probe ended after ${slow} ms`);
    assert.match(by.get('console')?.detail ?? '', /connection refused/);
    assert.match(text.stdout, /^ {2}grafana +http:\/\/127\.0\.0\.1:\d+ +◔ slow +user admin/m);
    assert.match(text.stdout, /^ {2}console +http:\/\/127\.0\.0\.1:\d+ +✖ down/m);
    assert.match(text.stdout, /^ {2}prometheus +http:\/\/127\.0\.0\.1:\d+ +✔ up \d+ ms/m);
    assert.match(text.stdout, /^ {2}alertmanager +http:\/\/127\.0\.0\.1:\d+ +✔ up \d+ ms/m);
    assert.match(text.stdout, /grafana: no answer in 1\.0 s/);
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr])
      assert.ok(!out.includes(SECRET), 'the Grafana password is not in the output');
    assert.match(text.stdout, /grep '\^GRAFANA_ADMIN_PASSWORD=' \.env/); // where it is, not what
  });

  it('every UI answering → exit 0; a *.localhost address reaches loopback whatever the resolver says', async () => {
    const port = new URL(uiUrl).port;
    const r = await cli(
      ['--json', 'status'],
      ws,
      env({ GRAFANA_URL: uiUrl, CONSOLE_URL: `http://console.localhost:${port}` }),
    );
    assert.equal(r.code, 0, r.stdout);
    const line = JSON.parse(r.stdout) as { endpoints: EndpointStatus[] };
    assert.deepEqual(
      line.endpoints.map((e) => e.state),
      ['up', 'up', 'up', 'up'],
    );
  });

  it('the probes run at once: a server that answers only once both UIs asked is reached by both', async () => {
    // No clock: one after the other, the first probe would wait alone and time out, and so the second.
    const waiting: ServerResponse[] = [];
    const meeting = createServer((_req, res) => {
      waiting.push(res);
      if (waiting.length === 2) for (const r of waiting) r.writeHead(200).end('ok');
    });
    const meetingUrl = await listen(meeting);
    try {
      const list = platformEndpoints('cluster', {
        GRAFANA_URL: meetingUrl,
        CONSOLE_URL: meetingUrl,
        PROMETHEUS_URL: prometheus.env.PROMETHEUS_URL ?? '',
        ALERTMANAGER_URL: downUrl,
      });
      const rows = await probeEndpoints(createReachProbe(), list, TIMEOUT_MS);
      assert.deepEqual(
        rows.map((r) => r.state),
        ['up', 'up', 'up', 'down'],
      );
    } finally {
      meeting.closeAllConnections();
      meeting.close();
    }
  });
});
