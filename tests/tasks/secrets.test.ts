import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../../lib/redact.js';
import secrets from '../../tasks/09-secrets.js';
import { lastRule } from '../../lib/gitignore.js';
import { fakeKube } from '../helpers/fake-kube.js';
import { fakeContext, fakeSecrets, madeUpSecret, runOne } from '../helpers/fixtures.js';
import { fakeGit } from '../helpers/fake-ports.js';

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
