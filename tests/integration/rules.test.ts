import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers/cli.js';
import { buildDemo, freePort, startDemo, type RunningDemo } from './demo.js';
import { useServer } from './servers.js';

const prometheus = await useServer('prometheus');
const alertmanager = await useServer('alertmanager');
const skip =
  prometheus.skip ||
  alertmanager.skip ||
  (prometheus.env.PROMETHEUS_DIR ? false : 'PROMETHEUS_DIR is not set');
const RULES = join(ROOT, 'k8s', 'observability', 'rules');
const promtool = () => prometheus.env.PROMTOOL ?? 'promtool';

async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(
    `${prometheus.env.PROMETHEUS_URL ?? ''}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return (
    (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
  ).data.result;
}

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('alert and recording rules', { skip, timeout: 120_000 }, () => {
  const dir = prometheus.env.PROMETHEUS_DIR ?? '';
  const id = randomUUID().slice(0, 8);
  const placed: string[] = [];
  let demo: RunningDemo;

  before(async () => {
    buildDemo();
    demo = await startDemo({ SERVICE_NAME: 'demo-service', TELEMETRY: 'on' });
    for (const file of ['recording.yml', 'alerts.yml']) {
      const target = join(dir, 'rules', `${id}-${file}`);
      copyFileSync(join(RULES, file), target);
      placed.push(target);
    }
    const reload = await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/-/reload`, { method: 'POST' });
    assert.equal(reload.status, 200);
  });
  after(async () => {
    for (const f of placed) rmSync(f, { force: true });
    await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/-/reload`, { method: 'POST' });
    demo.child.kill('SIGKILL');
    await demo.exited;
  });

  it('promtool checks the rule files and their unit tests pass (each alert fires and stays silent as it should)', () => {
    assert.match(
      execFileSync(promtool(), ['check', 'rules', join(RULES, 'recording.yml'), join(RULES, 'alerts.yml')], {
        encoding: 'utf8',
      }),
      /SUCCESS: 6 rules found/,
    );
    assert.match(
      execFileSync(promtool(), ['test', 'rules', join(ROOT, 'tests', 'rules', 'alerts.test.yml')], {
        encoding: 'utf8',
      }),
      /SUCCESS/,
    );
  });

  it('the real Prometheus loads the same rule files, scrapes the demo, and evaluates a recording rule over its metrics', async () => {
    const groups = await until('the rules to load', async () => {
      const body = (await (await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/api/v1/rules`)).json()) as {
        data: { groups: { file: string; rules: { health: string }[] }[] };
      };
      const mine = body.data.groups.filter((g) => g.file.includes(id));
      return mine.length === 2 && mine;
    });
    assert.equal(groups.flatMap((g) => g.rules).length, 10);
    assert.ok(groups.flatMap((g) => g.rules).every((r) => r.health !== 'err'));
    const job = `demo-${id}`;
    const target = join(dir, 'targets', `${job}.json`);
    placed.push(target);
    writeFileSync(target, JSON.stringify([{ targets: [demo.url.replace('http://', '')], labels: { job } }]));
    for (let i = 0; i < 20; i++) await fetch(`${demo.url}/events/stats`);
    const series = await until('service:http_requests:rate5m for the demo', async () => {
      for (let i = 0; i < 5; i++) await fetch(`${demo.url}/events/stats`);
      const r = await query(`service:http_requests:rate5m{job="${job}", route="/events/stats"}`);
      return r.length > 0 && r;
    });
    assert.ok(Number(series[0]?.value[1]) > 0, 'a positive request rate');
  });

  it('an alert whose condition the test creates reaches the real Alertmanager', async () => {
    writeFileSync(
      join(dir, 'alertmanagers', `am-${id}.json`),
      JSON.stringify([{ targets: [(alertmanager.env.ALERTMANAGER_URL ?? '').replace('http://', '')] }]),
    );
    placed.push(join(dir, 'alertmanagers', `am-${id}.json`));
    const rule = join(dir, 'rules', `${id}-probe.yml`);
    placed.push(rule);
    // The condition: a scrape target where nothing listens, so its `up` is 0.
    writeFileSync(
      rule,
      `groups:\n  - name: proof-${id}\n    rules:\n      - alert: ProofTargetDown\n        expr: up{proof="${id}"} == 0\n        labels: { severity: info, proof: "${id}" }\n`,
    );
    const dead = join(dir, 'targets', `dead-${id}.json`);
    placed.push(dead);
    writeFileSync(
      dead,
      JSON.stringify([{ targets: [`127.0.0.1:${await freePort()}`], labels: { proof: id } }]),
    );
    await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/-/reload`, { method: 'POST' });
    const alerts = await until(
      'the alert in Alertmanager',
      async () => {
        const res = await fetch(
          `${alertmanager.env.ALERTMANAGER_URL ?? ''}/api/v2/alerts?filter=${encodeURIComponent(`proof="${id}"`)}`,
        );
        const list = (await res.json()) as { labels: Record<string, string> }[];
        return list.length > 0 && list;
      },
      60_000,
    );
    assert.equal(alerts[0]?.labels.alertname, 'ProofTargetDown');
  });

  it('promtool parses every dashboard query', () => {
    const dashboards = join(ROOT, 'k8s', 'observability', 'dashboards');
    const exprs = readdirSync(dashboards)
      .filter((f) => f.endsWith('.json') && f !== 'metrics.json')
      .flatMap(
        (f) =>
          (
            JSON.parse(readFileSync(join(dashboards, f), 'utf8')) as {
              panels: { targets: { expr: string }[] }[];
            }
          ).panels,
      )
      .flatMap((p) => p.targets.map((t) => t.expr.replaceAll('$job', '.*')));
    const file = join(mkdtempSync(join(tmpdir(), 'dash-')), 'queries.yml');
    const rules = exprs
      .map((e, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}`)
      .join('\n');
    writeFileSync(file, `groups:\n  - name: dashboards\n    rules:\n${rules}\n`);
    assert.match(
      execFileSync(promtool(), ['check', 'rules', file], { encoding: 'utf8' }),
      new RegExp(`SUCCESS: ${exprs.length} rules found`),
    );
  });

  it('the demo really exports the template and demo metrics the dashboards use', async () => {
    await fetch(`${demo.url}/events/stats`);
    const text = await (await fetch(`${demo.url}/metrics`)).text();
    const listed = JSON.parse(
      readFileSync(join(ROOT, 'k8s', 'observability', 'dashboards', 'metrics.json'), 'utf8'),
    ) as Record<string, string[]>;
    for (const name of [
      ...(listed['lib/telemetry (every service from the template)'] ?? []),
      ...(listed['examples/demo-service'] ?? []),
    ]) {
      const family = name.replace(/_bucket$/, '');
      assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), `${name} is exported`);
    }
  });
});
