import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../lib/config/env-file.js';
import type { ShellResult } from '../../lib/model/context.js';
import type { CheckResult } from '../../lib/model/task.js';
import devSetup from '../../tasks/01-dev-setup.js';
import { fakeContext, ok, runOne, scriptedShell } from '../helpers/fixtures.js';

const EXAMPLE = 'FOUNDATION_TARGET=k3d\n\n# Secret.\nGRAFANA_ADMIN_PASSWORD=\n';
const fail = (stderr: string): ShellResult => ({ exitCode: 1, stdout: '', stderr });

type Answers = Parameters<typeof scriptedShell>[0];
const TOOLS: Answers = {
  'docker version --format {{.Client.Version}}': ok('28.2.2'),
  'docker version --format {{.Server.Version}}': ok('28.2.2'),
  'kubectl version --client -o json': ok(
    '{"clientVersion":{"gitVersion":"v1.35.0","platform":"linux/amd64"}}',
  ),
  'helm version --short': ok('v3.17.1+g980d8ac'),
  'k3d version': ok('k3d version v5.9.0\nk3s version v1.35.5-k3s1 (default)'),
  'node --version': ok('v24.21.0'),
  'git --version': ok('git version 2.39.5'),
  'git rev-parse --git-path hooks': ok('.git/hooks\n'),
};

function world(
  opts: {
    answers?: Answers;
    onPath?: string[];
    files?: Record<string, string>;
    os?: 'darwin' | 'linux';
  } = {},
) {
  const fileMap = new Map(
    Object.entries({
      '.env.example': EXAMPLE,
      '.env': 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=already-set-secret-value-1234\n',
      'lefthook.yml': 'pre-commit: {}\n',
      '.git/hooks/pre-commit': '#!/bin/sh\ncall_lefthook run "pre-commit"\n',
      ...opts.files,
    }),
  );
  const answers: Answers = {
    ...TOOLS,
    'node /pkg/node_modules/lefthook/bin/index.js install': () => {
      fileMap.set('.git/hooks/pre-commit', '#!/bin/sh\n# lefthook\n');
      return ok('sync hooks: ✔️ (pre-commit)');
    },
    ...opts.answers,
  };
  const sh = scriptedShell(answers, opts.onPath ?? ['docker', 'kubectl', 'helm', 'k3d', 'node', 'git']);
  const ctx = fakeContext({
    sh,
    fileMap,
    platform: {
      os: opts.os ?? 'linux',
      arch: 'x64',
      workspace: '/ws',
      packageRoot: '/pkg',
      nodeVersion: '24.21.0',
    },
    secrets: { generate: () => 'GENERATED-strong-secret-0123456789abcdef' },
  });
  return { ctx, sh, fileMap };
}

const blocked = (r: CheckResult) => {
  assert.equal(r.status, 'blocked');
  return r;
};

describe('task 0-1 dev-setup', () => {
  it('is ok when every tool is present and .env and hooks are in place', async () => {
    const { ctx } = world();
    const result = await devSetup.check(ctx);
    assert.equal(result.status, 'ok');
    assert.match(result.detail ?? '', /docker: 28\.2\.2 \(daemon 28\.2\.2\).*kubectl: 1\.35\.0/);
  });

  it('is blocked when Docker is missing, with a per-OS install hint', async () => {
    const linux = blocked(
      await devSetup.check(world({ onPath: ['kubectl', 'helm', 'k3d', 'node', 'git'] }).ctx),
    );
    assert.match(linux.reason, /docker missing/);
    assert.match(linux.hint, /on Linux:\n {2}docker: sudo apt-get install docker\.io/);
    const mac = blocked(
      await devSetup.check(world({ onPath: ['kubectl', 'helm', 'k3d', 'node', 'git'], os: 'darwin' }).ctx),
    );
    assert.match(mac.hint, /on macOS:\n {2}docker: brew install --cask docker/);
  });

  it('is blocked when the Docker client is there but the daemon is not reachable', async () => {
    const { ctx } = world({
      answers: { 'docker version --format {{.Server.Version}}': fail('Cannot connect to the Docker daemon') },
    });
    const r = blocked(await devSetup.check(ctx));
    assert.match(r.reason, /docker daemon not reachable/);
    assert.match(r.hint, /systemctl start docker/);
  });

  it('is blocked when kubectl is too old', async () => {
    const { ctx } = world({
      answers: { 'kubectl version --client -o json': ok('{"clientVersion":{"gitVersion":"v1.20.2"}}') },
    });
    const r = blocked(await devSetup.check(ctx));
    assert.match(r.reason, /kubectl too old/);
    assert.match(r.hint, /kubectl: sudo snap install kubectl/);
  });

  it('creates .env with a generated secret, and apply then converges', async () => {
    const { ctx, fileMap } = world({ files: {} });
    fileMap.delete('.env');
    const before = await devSetup.check(ctx);
    assert.equal(before.status, 'drift');
    assert.match(before.reason, /\.env: GRAFANA_ADMIN_PASSWORD needs a generated secret/);
    await devSetup.apply(ctx);
    const env = parseEnvFile(fileMap.get('.env') ?? '', '.env');
    assert.equal(env.get('GRAFANA_ADMIN_PASSWORD')?.value, 'GENERATED-strong-secret-0123456789abcdef');
    assert.equal((await devSetup.check(ctx)).status, 'ok');
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

  it('installs the git hooks when they are missing', async () => {
    const { ctx, sh, fileMap } = world();
    fileMap.delete('.git/hooks/pre-commit');
    assert.equal((await devSetup.check(ctx)).status, 'drift');
    await devSetup.apply(ctx);
    assert.ok(sh.calls.includes('node /pkg/node_modules/lefthook/bin/index.js install'));
    assert.equal((await devSetup.check(ctx)).status, 'ok');
  });

  it('converges .env and hooks even without Docker, then ends blocked (not failed) with the hint', async () => {
    const { ctx, fileMap } = world({ onPath: ['kubectl', 'helm', 'k3d', 'node', 'git'] });
    fileMap.delete('.env');
    const { result } = await runOne(devSetup, ctx, 'k3d');
    assert.equal(result?.outcome, 'blocked');
    assert.equal(result.applies, 1);
    assert.ok(fileMap.has('.env'));
    assert.match(result.hint ?? '', /docker: /);
  });
});
