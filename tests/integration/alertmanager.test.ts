import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { useServer } from './servers.js';

const am = await useServer('alertmanager');

interface Alert {
  labels: Record<string, string>;
  status: { state: string };
}

describe('Alertmanager test server', { skip: am.skip }, () => {
  it('receives an alert posted by the test and lists it (API and amtool)', async (t) => {
    const run = randomUUID();
    const url = am.env.ALERTMANAGER_URL ?? '';
    const post = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'FoundationProof', severity: 'info', run },
          annotations: { summary: 'posted by the integration test' },
          startsAt: new Date().toISOString(),
        },
      ]),
    });
    assert.equal(post.status, 200);
    const filter = encodeURIComponent(`run="${run}"`);
    const alerts = (await (await fetch(`${url}/api/v2/alerts?filter=${filter}`)).json()) as Alert[];
    const [alert] = alerts;
    assert.equal(alerts.length, 1);
    assert.deepEqual([alert?.labels.alertname, alert?.status.state], ['FoundationProof', 'active']);
    const amtool = am.env.AMTOOL;
    if (amtool === undefined) {
      // An Alertmanager of your own (FOUNDATION_TEST_USE_EXTERNAL=1) comes without the harness's amtool.
      t.skip('no amtool known for an external Alertmanager: the API half ran');
      return;
    }
    const out = execFileSync(amtool, ['alert', 'query', `--alertmanager.url=${url}`, `run=${run}`], {
      encoding: 'utf8',
    });
    assert.match(out, /FoundationProof/);
  });
});
