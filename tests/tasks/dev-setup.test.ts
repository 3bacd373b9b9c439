import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import { FoundationError } from '../../lib/errors.js';
import type { CheckResult } from '../../lib/model/task.js';
import type { ToolProbe } from '../../lib/ports/dev.js';
import devSetup from '../../tasks/01-dev-setup.js';
import { fakeContext, runOne } from '../helpers/fixtures.js';
import { fakeGit, fakeTools } from '../helpers/fake-ports.js';

import { probes, world } from '../helpers/dev-setup-world.js';

const blocked = (r: CheckResult) => {
  assert.equal(r.status, 'blocked');
  return r;
};

describe('task 0-1 dev-setup', () => {
  it('is ok when every tool is present and .env and hooks are in place', async () => {
    const { ctx } = world();
    const result = await devSetup.check(ctx);
    assert.equal(result.status, 'ok');
    assert.match(result.detail ?? '', /docker: 28\.2\.2 \(daemon 28\.2\.2, 16\.0 GiB\).*kubectl: 1\.35\.0/);
  });

  it('is blocked when Docker is missing, with a per-OS install hint', async () => {
    const linux = blocked(await devSetup.check(world({ tools: probes({ docker: null }) }).ctx));
    assert.match(linux.reason, /docker missing/);
    assert.match(linux.hint, /on Linux:\n {2}docker: sudo apt-get install docker\.io/);
    const mac = blocked(await devSetup.check(world({ tools: probes({ docker: null }), os: 'darwin' }).ctx));
    assert.match(mac.hint, /on macOS:\n {2}docker: brew install --cask docker/);
  });

  it('is blocked when the Docker client is there but the daemon is not reachable', async () => {
    const { ctx } = world({ tools: probes({ docker: { daemon: null } }) });
    const r = blocked(await devSetup.check(ctx));
    assert.match(r.reason, /docker daemon not reachable/);
    assert.match(r.hint, /systemctl start docker/);
  });

  it('installs a missing or too old kubectl, helm or k3d from its pinned release, then is ok', async () => {
    const { ctx } = world({ tools: probes({ kubectl: { version: '1.20.2' }, k3d: null }) });
    const before = await devSetup.check(ctx);
    assert.equal(before.status, 'drift');
    assert.match(
      before.status === 'drift' ? before.reason : '',
      /kubectl 1\.35\.2 to install \(pinned release\); k3d 5\.9\.0 to install/,
    );
    const tools = ctx.tools as ReturnType<typeof fakeTools>;
    const lines: string[] = [];
    const { result } = await runOne(devSetup, {
      ...ctx,
      log: { info: (l) => lines.push(l), warn: () => undefined, debug: () => undefined },
    });
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(
      tools.installed.map((d) => [d.name, d.url, d.kind]),
      [
        ['kubectl', 'https://dl.k8s.io/release/v1.35.2/bin/linux/amd64/kubectl', 'binary'],
        ['k3d', 'https://github.com/k3d-io/k3d/releases/download/v5.9.0/k3d-linux-amd64', 'binary'],
      ],
    );
    assert.match(tools.installed[0]?.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.ok(
      lines.some((l) => /export PATH="\/ws\/\.foundation\/tools\/bin:\$PATH"/.test(l)),
      lines.join('\n'),
    );
  });

  it('offline: every missing tool is tried, and the ones that failed are said together', async () => {
    const { ctx } = world({ tools: probes({ kubectl: null, helm: null, k3d: null }) });
    const tools = ctx.tools as ReturnType<typeof fakeTools>;
    const install = tools.install.bind(tools);
    tools.install = (d) =>
      d.name === 'k3d'
        ? install(d)
        : Promise.reject(
            new FoundationError(
              'E_DOWNLOAD_FAILED',
              `${d.url}: connect ECONNREFUSED`,
              'retry, or set TOOLS_MIRROR',
            ),
          );
    await assert.rejects(devSetup.apply(ctx), (e: unknown) => {
      assert.ok(e instanceof FoundationError);
      assert.equal(e.code, 'E_DOWNLOAD_FAILED');
      assert.match(
        e.message,
        /^2 of 3 tools could not be installed: kubectl: .*ECONNREFUSED; helm: .*ECONNREFUSED$/,
      );
      assert.equal(e.fix, 'retry, or set TOOLS_MIRROR');
      return true;
    });
    assert.deepEqual(
      tools.installed.map((d) => d.name),
      ['k3d'],
      'the one that could be, was',
    );
  });

  it('installs go-task and gitleaks from their pinned release archives (gitleaks calls x86-64 x64)', async () => {
    const { ctx } = world({ tools: probes({ 'go-task': null, gitleaks: { version: '8.18.0' } }) });
    const tools = ctx.tools as ReturnType<typeof fakeTools>;
    const { result } = await runOne(devSetup, ctx);
    assert.equal(result?.outcome, 'changed');
    assert.deepEqual(
      tools.installed.map((d) => [d.name, d.version, d.url, d.kind, d.member]),
      [
        [
          'go-task',
          '3.53.1',
          'https://github.com/go-task/task/releases/download/v3.53.1/task_linux_amd64.tar.gz',
          'tar.gz',
          'task',
        ],
        [
          'gitleaks',
          '8.30.1',
          'https://github.com/gitleaks/gitleaks/releases/download/v8.30.1/gitleaks_8.30.1_linux_x64.tar.gz',
          'tar.gz',
          'gitleaks',
        ],
      ],
    );
  });

  it('warns when the Docker engine has less memory than the platform needs, and says the per-OS fix', async () => {
    const small = probes({ docker: { memoryBytes: 4 * 1024 ** 3 } });
    const seen = async (os: 'linux' | 'darwin', tools: ToolProbe[]): Promise<string[]> => {
      const warnings: string[] = [];
      const { ctx } = world({ tools, os });
      const r = await devSetup.check({
        ...ctx,
        log: { info: () => undefined, warn: (l) => warnings.push(l), debug: () => undefined },
      });
      assert.equal(r.status, 'ok', 'a warning, not a failure');
      return warnings;
    };
    const [mac] = await seen('darwin', small);
    assert.match(mac ?? '', /engine has 4\.0 GiB of memory, under the platform's 6\.0 GiB/);
    assert.match(mac ?? '', /Docker Desktop → Settings → Resources → Memory/);
    assert.deepEqual(await seen('linux', probes()), []);
    assert.deepEqual(await seen('linux', probes({ docker: { memoryBytes: null } })), [], 'unknown: no guess');
  });

  it('on a platform without pinned releases a too old kubectl is for the user: blocked with the hint', async () => {
    const { ctx } = world({ tools: probes({ kubectl: { version: '1.20.2' } }) });
    const r = blocked(await devSetup.check({ ...ctx, platform: { ...ctx.platform, arch: 'ia32' } }));
    assert.match(r.reason, /kubectl too old/);
    assert.match(r.hint, /kubectl: sudo snap install kubectl/);
  });

  it('creates .env with a generated secret, and apply then converges', async () => {
    const { ctx, fileMap } = world({ files: {} });
    fileMap.delete('.env');
    const before = await devSetup.check(ctx);
    assert.equal(before.status, 'drift');
    assert.match(before.reason, /^\.env does not exist/);
    await devSetup.apply(ctx);
    const env = parseEnvFile(fileMap.get('.env') ?? '', '.env');
    assert.equal(env.get('GRAFANA_ADMIN_PASSWORD')?.value, 'GENERATED-strong-secret-0123456789abcdef');
    assert.equal((await devSetup.check(ctx)).status, 'ok');
  });

  it('a .env other users may read (cp .env.example .env under umask 022): drift, then mode 600, values kept', async () => {
    const { ctx, fileMap } = world();
    const before = fileMap.get('.env');
    ctx.fileModes.set('.env', 0o644);
    const drift = await devSetup.check(ctx);
    assert.equal(drift.status, 'drift');
    assert.equal(drift.reason, '.env is open to other users of this machine (mode 644) — 0-1 makes it 600');
    assert.deepEqual(drift.status === 'drift' ? drift.changes : [], [
      { path: '.env#mode', want: '600', have: '644' },
    ]);
    await devSetup.apply(ctx);
    assert.equal(ctx.fileModes.get('.env'), 0o600);
    assert.equal(fileMap.get('.env'), before, 'not rewritten');
    assert.equal((await devSetup.check(ctx)).status, 'ok');
    // Where files have no such bits (Windows), nothing is said.
    const other = world();
    other.ctx.fileModes.set('.env', 0o666);
    const onOther = { ...other.ctx, platform: { ...other.ctx.platform, os: 'other' as const } };
    assert.equal((await devSetup.check(onOther)).status, 'ok');
  });

  it('keeps every value already in .env', async () => {
    const { ctx, fileMap } = world({
      files: { '.env': 'GRAFANA_ADMIN_PASSWORD=mine-mine-mine-mine-mine\nEXTRA="kept = yes"\n' },
    });
    await devSetup.apply(ctx);
    const env = parseEnvFile(fileMap.get('.env') ?? '', '.env');
    assert.equal(env.get('GRAFANA_ADMIN_PASSWORD')?.value, 'mine-mine-mine-mine-mine');
    assert.equal(env.get('EXTRA')?.value, 'kept = yes');
    assert.equal(env.get('FOUNDATION_TARGET')?.value, 'k3d', 'the missing variable was added');
  });

  it('never generates over a secret whose unquoted value starts with "#": blocked, the line untouched', async () => {
    const env = 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=#myChosenPassw0rd\n';
    const { ctx, fileMap } = world({ files: { '.env': env }, hooks: 'missing' });
    const { result } = await runOne(devSetup, ctx, 'k3d');
    assert.equal(result?.outcome, 'blocked');
    assert.equal(result.applies, 1, 'the hooks were still installed');
    assert.equal(fileMap.get('.env'), env, '.env is not rewritten');
    assert.match(
      result.reason ?? '',
      /GRAFANA_ADMIN_PASSWORD \(\.env line 2\): the value starts with an unquoted "#"/,
    );
    assert.match(result.hint ?? '', /quote the value in \.env/);
    assert.doesNotMatch(JSON.stringify(result), /myChosenPassw0rd/);
    // Quoted, it is kept as it is and the task is done.
    fileMap.set('.env', env.replace('=#myChosenPassw0rd', '="#myChosenPassw0rd"'));
    assert.equal((await devSetup.check(ctx)).status, 'ok');
  });

  it('installs the git hooks when they are missing', async () => {
    const { ctx, git } = world({ hooks: 'missing' });
    assert.equal((await devSetup.check(ctx)).status, 'drift');
    await devSetup.apply(ctx);
    assert.equal(git.installs, 1);
    assert.equal((await devSetup.check(ctx)).status, 'ok');
  });

  it('accepts the Docker engine Debian ships (20.10.24: k3d v5 needs 20.10.5 or newer)', async () => {
    const { ctx } = world({ tools: probes({ docker: { version: '28.2.2', daemon: '20.10.24' } }) });
    assert.equal((await devSetup.check(ctx)).status, 'ok');
  });

  it('is blocked by an engine older than k3d v5 supports, even with a new client', async () => {
    const { ctx } = world({ tools: probes({ docker: { version: '28.2.2', daemon: '20.10.4' } }) });
    const r = blocked(await devSetup.check(ctx));
    assert.match(r.reason, /docker too old/);
  });

  it('converges .env and hooks even without Docker, then ends blocked (not failed) with the hint', async () => {
    const { ctx, fileMap } = world({ tools: probes({ docker: null }) });
    fileMap.delete('.env');
    const { result } = await runOne(devSetup, ctx, 'k3d');
    assert.equal(result?.outcome, 'blocked');
    assert.equal(result.applies, 1);
    assert.ok(fileMap.has('.env'));
    assert.match(result.hint ?? '', /docker: /);
  });
});

describe('task 0-1 without a .env', () => {
  it('says so in one line, not one per variable; the drift as data too', async () => {
    const fileMap = new Map([
      ['.env.example', 'FOUNDATION_TARGET=k3d\nLOG_LEVEL=info\nGRAFANA_ADMIN_PASSWORD=\n'],
    ]);
    const ctx = fakeContext({ fileMap, tools: fakeTools(), git: fakeGit() });
    assert.deepEqual(await devSetup.check(ctx), {
      status: 'drift',
      reason: '.env does not exist — 0-1 writes it from .env.example, secrets generated',
      changes: [{ path: '.env', want: 'present', have: null }],
    });
  });

  it('each variable, hook and tool as data: path, want, have (no value of .env)', async () => {
    const { ctx } = world({
      files: { '.env': 'FOUNDATION_TARGET=k3d\n' },
      hooks: 'missing',
      tools: probes({ kubectl: { version: '1.20.2' } }),
    });
    const r = await devSetup.check(ctx);
    assert.equal(r.status, 'drift');
    assert.deepEqual(r.status === 'drift' ? r.changes : [], [
      { path: '.env/GRAFANA_ADMIN_PASSWORD', want: 'a generated secret', have: null },
      { path: '.git/hooks/pre-commit', want: 'lefthook', have: null },
      { path: 'tools/kubectl', want: '1.35.2', have: '1.20.2' },
    ]);
  });
});
