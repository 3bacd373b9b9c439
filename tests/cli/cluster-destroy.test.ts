import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';

// A fake k3d that records what it was asked to do; "list foundation" finds the cluster.
const K3D = `echo "$*" >> "$K3D_LOG"; case "$*" in "cluster list foundation") exit 0 ;; "cluster list"*) exit 1 ;; esac`;

function destroy(args: string[], input?: string) {
  const ws = workspace({ k3d: K3D });
  const log = join(ws.dir, 'k3d.log');
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'cluster-destroy'), ...args], {
    encoding: 'utf8',
    env: { PATH: `${ws.path}:/usr/bin:/bin`, K3D_LOG: log, HOME: ws.dir },
    ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input }),
  });
  let calls = '';
  try {
    calls = readFileSync(log, 'utf8');
  } catch {
    /* never called */
  }
  return { ...r, calls };
}

describe('scripts/cluster-destroy', () => {
  it('refuses without a terminal to confirm, and deletes nothing', () => {
    const r = destroy(['--name', 'foundation']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pass --yes/);
    assert.doesNotMatch(r.calls, /delete/);
  });

  it('deletes with --yes', () => {
    const r = destroy(['--yes', '--name', 'foundation']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.calls, /^cluster delete foundation$/m);
  });

  it('does nothing for a cluster that does not exist', () => {
    const r = destroy(['--yes', '--name', 'other']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /no cluster named other/);
    assert.doesNotMatch(r.calls, /delete/);
  });

  it('rejects an unknown argument with exit 2', () => {
    assert.equal(destroy(['--force']).status, 2);
  });
});
