// "A machine with only Docker and Node": task 0-1, with the real adapters, installs every CLI tool the
// platform needs from a release server on loopback (TOOLS_MIRROR), then converges with no manual step.
// The server serves files made here at the real pinned paths; the pins are the real ones with this
// test's checksums (the real files cannot be fetched here).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWorld } from '../../lib/adapters/world.js';
import { loadConfig } from '../../lib/config/load.js';
import { RELEASES } from '../../lib/prereqs/pins.js';
import { platformOf, type ToolRelease } from '../../lib/prereqs/releases.js';
import { Redactor } from '../../lib/redact.js';
import devSetup from '../../tasks/01-dev-setup.js';
import { FAKE_TOOLS, workspace } from '../helpers/cli.js';
import { startReleaseServer, type ReleaseServer } from '../helpers/release-server.js';

const platform = platformOf(process.platform, process.arch);
let server: ReleaseServer | undefined;
const files = (): Map<string, Buffer> => server?.files ?? new Map<string, Buffer>();

/** A release file for a pinned asset: a script printing the pinned version, packed as upstream packs it. */
function releaseFile(release: ToolRelease, member: string | undefined, kind: 'binary' | 'tar.gz'): Buffer {
  const script = Buffer.from(`#!/bin/sh\necho "${release.command} version v${release.version}"\n`);
  if (kind === 'binary') return script;
  const dir = mkdtempSync(join(tmpdir(), 'archive-'));
  try {
    const path = member ?? release.command;
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), script, { mode: 0o755 });
    execFileSync('tar', ['-czf', join(dir, 'out.tar.gz'), '-C', dir, path]);
    return readFileSync(join(dir, 'out.tar.gz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real pins, with each asset for this platform replaced by this test's file and its checksum. */
function servedReleases(): ToolRelease[] {
  if (platform === null) return [];
  return RELEASES.map((r) => {
    const asset = r.assets[platform];
    if (asset === undefined) return r;
    const body = releaseFile(r, asset.member, asset.kind);
    const url = new URL(asset.url);
    files().set(`/${url.host}${url.pathname}`, body);
    const sha256 = createHash('sha256').update(body).digest('hex');
    return { ...r, assets: { [platform]: { ...asset, sha256 } } };
  });
}

before(async () => {
  server = await startReleaseServer();
});
after(() => server?.close());

describe('a fresh machine with only Docker and Node (task 0-1)', { timeout: 120_000 }, () => {
  it('installs kubectl, helm, k3d, go-task and gitleaks from pinned releases, then converges', async (t) => {
    if (platform === null) {
      t.skip(`no pinned releases for ${process.platform}-${process.arch}`);
      return;
    }
    const releases = servedReleases();
    // Only the fake Docker engine (client, daemon, memory) plus sh, git and node: nothing else on PATH,
    // and an empty tool cache (every step also looks in ~/.cache/foundation/bin, where this machine's test
    // set-up put kubectl, helm, go-task and gitleaks).
    const ws = workspace({ docker: FAKE_TOOLS.docker ?? '' });
    const saved = { PATH: process.env.PATH, FOUNDATION_CACHE: process.env.FOUNDATION_CACHE };
    process.env.PATH = ws.path;
    process.env.FOUNDATION_CACHE = join(ws.dir, 'empty-cache');
    t.after(() => {
      process.env.PATH = saved.PATH;
      if (saved.FOUNDATION_CACHE === undefined) delete process.env.FOUNDATION_CACHE;
      else process.env.FOUNDATION_CACHE = saved.FOUNDATION_CACHE;
    });
    const env = { TOOLS_MIRROR: server?.url ?? '' };
    const { config, secretValues } = loadConfig({ workspace: ws.dir, env, overrides: {} });
    const world = createWorld({
      config,
      workspace: ws.dir,
      redactor: new Redactor(secretValues),
      env,
      releases,
    });
    const lines: string[] = [];
    const log = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l), debug: () => {} };
    const ctx = world.contextFor(new AbortController().signal, log);

    const first = await devSetup.check(ctx);
    assert.equal(first.status, 'drift', JSON.stringify(first));
    for (const name of ['kubectl', 'helm', 'k3d', 'go-task', 'gitleaks'])
      assert.match(first.status === 'drift' ? first.reason : '', new RegExp(`${name} [0-9.]+ to install`));

    await devSetup.apply(ctx);
    const second = await devSetup.check(ctx);
    assert.equal(second.status, 'ok', JSON.stringify(second));
    assert.deepEqual(readdirSync(join(ws.dir, '.foundation', 'tools', 'bin')).sort(), [
      'gitleaks',
      'helm',
      'k3d',
      'kubectl',
      'task',
    ]);
    assert.equal(server?.requests.length ?? 0, 5, 'one download per tool');
    assert.ok(
      lines.some((l) => l.includes(`export PATH="${join(ws.dir, '.foundation', 'tools', 'bin')}:$PATH"`)),
    );
    assert.ok(readFileSync(join(ws.dir, '.env'), 'utf8').includes('GRAFANA_ADMIN_PASSWORD='));

    // A second run finds everything in place: nothing downloaded.
    assert.equal((await devSetup.check(ctx)).status, 'ok');
    assert.equal(server?.requests.length ?? 0, 5);
  });
});
