import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../../lib/redact.js';
import cluster from '../../tasks/02-cluster.js';
import secrets from '../../tasks/09-secrets.js';
import { lastRule } from '../../lib/gitignore.js';
import { ROOT } from '../helpers/cli.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { fakeKube } from '../helpers/fake-kube.js';
import { fakeContext, fakeSecrets, madeUpSecret, runOne } from '../helpers/fixtures.js';
import { fakeDocker, fakeGit, fakeK3d } from '../helpers/fake-ports.js';

const NS_FILES = ['infra.yaml', 'services.yaml', 'network-policies.yaml', 'shared-cluster.yaml'];

function clusterWorld(state: 'missing' | 'stopped' | 'running', kube = fakeKube()) {
  const k3d = fakeK3d(
    state === 'missing'
      ? []
      : [{ name: 'foundation', servers: 1, serversRunning: state === 'running' ? 1 : 0 }],
  );
  const fileMap = new Map(
    NS_FILES.map((f) => [
      join('/pkg', 'k8s', 'namespaces', f),
      readFileSync(join(ROOT, 'k8s', 'namespaces', f), 'utf8'),
    ]),
  );
  const clock = fakeClock();
  return { ctx: fakeContext({ k3d, fileMap, kube, clock }), k3d, kube, clock };
}

describe('task 0-2 cluster', () => {
  it('a missing cluster is created from k8s/k3d-config.yaml, then the namespaces are applied', async () => {
    const { ctx, k3d, kube } = clusterWorld('missing');
    assert.deepEqual(await cluster.check(ctx), {
      status: 'missing',
      reason: 'k3d cluster foundation does not exist',
    });
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(k3d.calls, ['create foundation --config /pkg/k8s/k3d-config.yaml --agents 0']);
    assert.equal(kube.applied.length, 11, 'namespaces, quotas, limit ranges, network policies');
    assert.ok(kube.store.has('NetworkPolicy/services/default-deny'));
    assert.ok(!kube.store.has('NetworkPolicy/infra/data-stores-from-platform'), 'a shared cluster’s only');
  });

  it('target cluster (a cluster Foundation shares): the data stores are also closed to other namespaces', async () => {
    const { ctx, k3d, kube } = clusterWorld('missing');
    const { result } = await runOne(cluster, { ...ctx, target: 'cluster' });
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(k3d.calls, [], 'no k3d on target cluster');
    assert.equal(kube.applied.length, 12);
    assert.ok(kube.store.has('NetworkPolicy/infra/data-stores-from-platform'));
    assert.equal((await cluster.check({ ...ctx, target: 'cluster' })).status, 'ok');
  });

  it('a stopped cluster is started', async () => {
    const { ctx, k3d } = clusterWorld('stopped');
    assert.deepEqual(await cluster.check(ctx), {
      status: 'drift',
      reason: 'k3d cluster foundation is stopped',
    });
    await runOne(cluster, ctx, 'k3d');
    assert.deepEqual(k3d.calls, ['start foundation']);
  });

  it('after a start it waits for the nodes (an API not answering yet is part of the wait), then applies', async () => {
    const kube = fakeKube({ nodesReady: false });
    kube.reachable = false;
    const nodes = kube.nodes.bind(kube);
    let asked = 0;
    kube.nodes = () => {
      asked++;
      if (asked === 2) kube.reachable = true;
      if (asked === 3) kube.nodesReady = true;
      return nodes();
    };
    const { ctx, clock } = clusterWorld('stopped', kube);
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed', result?.reason);
    assert.equal(clock.sleeps.length, 2, 'two pauses: unreachable, then not Ready');
    assert.equal(kube.applied.length, 11);
  });

  it('nodes never Ready: fails at the deadline naming them and how to see why, and applies nothing', async () => {
    const kube = fakeKube({ nodesReady: false });
    const { ctx, clock } = clusterWorld('stopped', kube);
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.error?.code, 'E_WAIT_TIMEOUT');
    assert.match(
      result?.reason ?? '',
      /^gave up waiting for every node of the cluster to be Ready after 120\.0 s \(\d+ tries\); last seen: nodes not Ready: k3d-foundation-server-0$/,
    );
    assert.equal(result?.hint, 'see why: kubectl get nodes; kubectl describe node k3d-foundation-server-0');
    assert.equal(clock.elapsed, 120_000);
    assert.deepEqual(kube.applied, [], 'it does not carry on');
  });

  it('a drifted namespace object is found by path and re-applied', async () => {
    const { ctx, kube } = clusterWorld('running');
    await cluster.apply(ctx);
    const quota = kube.store.get('ResourceQuota/services/services-quota');
    assert.ok(quota);
    kube.store.set('ResourceQuota/services/services-quota', {
      ...quota,
      spec: { hard: { ...(quota.spec as { hard: object }).hard, pods: '99' } },
    });
    const drift = await cluster.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.equal(
      drift.status === 'drift' ? drift.diff : '',
      'ResourceQuota services/services-quota: spec.hard.pods',
    );
    await cluster.apply(ctx);
    assert.equal((await cluster.check(ctx)).status, 'ok');
  });

  it('converged: ok, and apply never runs', async () => {
    const { ctx, kube } = clusterWorld('running');
    await cluster.apply(ctx);
    kube.applied.length = 0;
    const { result } = await runOne(cluster, ctx, 'k3d');
    assert.equal(result?.outcome, 'ok');
    assert.equal(kube.applied.length, 0);
  });

  it('a cluster made before its ports were bound to loopback: ok, with a warning naming them and the fix', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, debug: () => undefined, warn: (l: string) => warnings.push(l) };
    const lb = 'k3d-foundation-serverlb';
    for (const [hostIp, said] of [
      [
        '0.0.0.0',
        /publishes \*:19092 beyond this machine \(\* is every interface.*scripts\/cluster-destroy then foundation all/,
      ],
      ['127.0.0.1', null],
    ] as const) {
      warnings.length = 0;
      const { ctx } = clusterWorld('running');
      await cluster.apply(ctx);
      const published = {
        [lb]: [
          { containerPort: '19092/tcp', hostIp, hostPort: '19092' },
          ...(hostIp === '0.0.0.0' ? [{ containerPort: '19092/tcp', hostIp: '::', hostPort: '19092' }] : []),
          { containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '41234' },
        ],
      };
      const r = await cluster.check({ ...ctx, log, docker: fakeDocker({ published }) });
      assert.equal(r.status, 'ok');
      if (said === null) assert.deepEqual(warnings, []);
      else assert.match(warnings.join('\n'), said);
    }
  });

  it('the open-ports warning is said once in a run that applies (check, apply, re-check)', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, debug: () => undefined, warn: (l: string) => warnings.push(l) };
    const { ctx, kube } = clusterWorld('running');
    const published = {
      'k3d-foundation-serverlb': [{ containerPort: '19092/tcp', hostIp: '0.0.0.0', hostPort: '19092' }],
    };
    const run = { ...ctx, log, docker: fakeDocker({ published }) };
    const { result } = await runOne(cluster, run, 'k3d');
    assert.equal(result?.outcome, 'changed', 'the namespaces were missing: applied');
    assert.ok(kube.applied.length > 0);
    assert.equal(warnings.filter((w) => w.includes('publishes *:19092')).length, 1, warnings.join('\n'));
    // Another run (a new context) says it again.
    await cluster.check({ ...run });
    assert.equal(warnings.filter((w) => w.includes('publishes *:19092')).length, 2);
  });

  it('an unreachable API blocks with the fix', async () => {
    const kube = fakeKube();
    kube.reachable = false;
    const { ctx } = clusterWorld('running', kube);
    const r = await cluster.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(
      r.status === 'blocked' ? `${r.reason} | ${r.hint}` : '',
      /does not answer \(ECONNREFUSED\) \| start the cluster: foundation run 0-2/,
    );
  });

  it('is skipped on the compose target', async () => {
    const { ctx } = clusterWorld('missing');
    assert.equal((await runOne(cluster, ctx, 'compose')).result?.outcome, 'skipped');
  });
});

describe('task 0-9 secrets', () => {
  const env = [
    'FOUNDATION_TARGET=k3d',
    'GRAFANA_ADMIN_PASSWORD="quoted = with spaces ✓ and unicode"',
    "PAYMENTS_API_TOKEN='multi\nline token'",
  ].join('\n');

  function secretsWorld(opts: { ignored?: boolean; tracked?: string[]; env?: Record<string, string> } = {}) {
    const kube = fakeKube();
    const git = fakeGit({ ignored: opts.ignored ?? true, tracked: opts.tracked ?? [] });
    const fileMap = new Map([['.env', env]]);
    const lines: string[] = [];
    const log = {
      info: (l: string) => lines.push(l),
      warn: (l: string) => lines.push(l),
      debug: (l: string) => lines.push(l),
    };
    const secretPort = fakeSecrets(fileMap, opts.env);
    return { ctx: fakeContext({ git, fileMap, kube, log, secrets: secretPort }), kube, fileMap, lines };
  }

  it("deploys the command's environment over .env, and never the test process's own environment", async (t) => {
    const saved = process.env.GRAFANA_ADMIN_PASSWORD;
    process.env.GRAFANA_ADMIN_PASSWORD = madeUpSecret('shell');
    t.after(() => {
      if (saved === undefined) delete process.env.GRAFANA_ADMIN_PASSWORD;
      else process.env.GRAFANA_ADMIN_PASSWORD = saved;
    });
    const decoded = async (world: ReturnType<typeof secretsWorld>) => {
      await runOne(secrets, world.ctx, 'k3d');
      const data = world.kube.store.get('Secret/services/app-secrets')?.data as Record<string, string>;
      return Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
      );
    };
    const fromFile = await decoded(secretsWorld());
    assert.equal(fromFile.GRAFANA_ADMIN_PASSWORD, 'quoted = with spaces ✓ and unicode');
    const override = madeUpSecret('env');
    const overridden = await decoded(
      secretsWorld({ env: { GRAFANA_ADMIN_PASSWORD: override, HOME: '/root' } }),
    );
    assert.equal(overridden.GRAFANA_ADMIN_PASSWORD, override);
    assert.equal(overridden.HOME, undefined, 'only secret settings');
  });

  it('creates app-secrets from the secret variables of .env, values byte for byte', async () => {
    const { ctx, kube } = secretsWorld();
    assert.deepEqual(await secrets.check(ctx), {
      status: 'missing',
      reason: 'services/app-secrets does not exist',
    });
    const { result } = await runOne(secrets, ctx, 'k3d');
    assert.equal(result?.outcome, 'changed');
    const secret = kube.store.get('Secret/services/app-secrets');
    const data = secret?.data as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), ['GRAFANA_ADMIN_PASSWORD', 'PAYMENTS_API_TOKEN']);
    assert.equal(
      Buffer.from(data.GRAFANA_ADMIN_PASSWORD ?? '', 'base64').toString(),
      'quoted = with spaces ✓ and unicode',
    );
    assert.equal(Buffer.from(data.PAYMENTS_API_TOKEN ?? '', 'base64').toString(), 'multi\nline token');
    assert.equal(secret?.metadata?.annotations, undefined, 'no hash of the values in the cluster');
  });

  it('a changed value is drift (named by key only), and no value reaches the log or the reason', async () => {
    const { ctx, fileMap, lines } = secretsWorld();
    await runOne(secrets, ctx, 'k3d');
    fileMap.set('.env', env.replace('quoted = with spaces', 'rotated = new value'));
    const r = await secrets.check(ctx);
    assert.deepEqual(r, { status: 'drift', reason: 'values differ from .env' });
    const { result } = await runOne(secrets, ctx, 'k3d');
    const redactor = new Redactor(['rotated = new value ✓ and unicode', 'multi\nline token']);
    const everything = JSON.stringify({ lines, result });
    assert.ok(!everything.includes('rotated = new value'), 'no value in logs or results');
    assert.equal(redactor.redact(everything), everything, 'nothing for the redactor to mask either');
    assert.notEqual(MASK, '');
  });

  it('an old content-hash annotation on a Secret in step is drift, so the next apply drops it', async () => {
    const { ctx, kube } = secretsWorld();
    await runOne(secrets, ctx, 'k3d');
    const live = kube.store.get('Secret/services/app-secrets');
    assert.ok(live);
    kube.store.set('Secret/services/app-secrets', {
      ...live,
      metadata: { ...live.metadata, annotations: { 'foundation/content-hash': 'sha256:00' } },
    });
    assert.deepEqual(await secrets.check(ctx), {
      status: 'drift',
      reason: 'an old foundation/content-hash annotation (a hash of the values)',
    });
  });

  it('adds .env and .foundation/ to .gitignore when git does not ignore them, once', async () => {
    const { ctx, fileMap } = secretsWorld({ ignored: false });
    fileMap.set('.gitignore', 'node_modules/');
    assert.deepEqual(await secrets.check(ctx), {
      status: 'drift',
      reason: '.env and .foundation/ are not ignored by git',
    });
    await secrets.apply(ctx);
    await secrets.apply(ctx); // git still says no (another rule wins): no second copy, said as blocked
    assert.equal(fileMap.get('.gitignore'), 'node_modules/\n.env\n.foundation/\n');
    const r = await secrets.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(
      r.status === 'blocked' ? r.reason : '',
      /^\.gitignore ignores \.env and \.foundation\/, yet git does not/,
    );
    assert.match(r.status === 'blocked' ? r.hint : '', /git check-ignore -v --no-index \.env \.foundation\//);
  });

  it('a .gitignore that re-includes .env (!.env) gets an ignore line after it: the last rule wins', async () => {
    const { ctx, fileMap } = secretsWorld({ ignored: false });
    fileMap.set('.gitignore', '.env\n!.env\n');
    assert.equal((await secrets.check(ctx)).status, 'drift', 'fixable: not blocked');
    await secrets.apply(ctx);
    assert.equal(fileMap.get('.gitignore'), '.env\n!.env\n.env\n.foundation/\n');
    assert.deepEqual(
      ['.env', '/.env', '!.env', '!/.env', '.envrc', '!.env*', '!*.env', ' .env', '.env  ', '*.env'].map(
        (line) => lastRule(line, '.env'),
      ),
      ['ignore', 'ignore', 'include', 'include', null, 'include', 'include', null, 'ignore', null],
    );
  });

  it('a committed .env is said as such, with the way out; nothing is appended to .gitignore', async () => {
    const { ctx, fileMap } = secretsWorld({ ignored: false, tracked: ['.env'] });
    const r = await secrets.check(ctx);
    assert.equal(r.status, 'blocked');
    assert.match(r.status === 'blocked' ? r.reason : '', /^\.env is committed to git/);
    assert.match(r.status === 'blocked' ? r.hint : '', /^git rm --cached \.env .*rotate every secret/);
    const { result } = await runOne(secrets, ctx, 'k3d');
    assert.equal(result?.outcome, 'blocked');
    assert.equal(fileMap.get('.gitignore'), undefined);
  });
});
