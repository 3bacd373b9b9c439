// scripts/cluster-destroy reads the cluster name through the config loader (quotes and comments in .env
// as the CLI reads them), asks before deleting, and fails plainly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';

// A fake k3d that records what it was asked; its cluster list holds `dev` and `foundation`.
const K3D = `echo "$*" >> "$K3D_LOG"
case "$*" in "cluster list -o json") echo '[{"name":"dev","serversCount":1},{"name":"foundation","serversCount":1}]' ;; esac`;

function destroy(args: string[], env: string | null = null) {
  const ws = workspace({ k3d: K3D });
  if (env !== null) writeFileSync(join(ws.dir, '.env'), env);
  const log = join(ws.dir, 'k3d.log');
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'cluster-destroy.js'), ...args], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: { PATH: ws.path, K3D_LOG: log, HOME: ws.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  it('reads CLUSTER_NAME as the CLI does: a quoted value with a comment is the name', () => {
    const r = destroy(['--yes'], 'CLUSTER_NAME="dev" # my cluster\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.calls, /^cluster delete dev$/m);
    assert.match(r.stdout, /deleted the k3d cluster dev/);
  });

  it('refuses without a terminal to confirm, and deletes nothing', () => {
    const r = destroy(['--name', 'foundation']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /E_USAGE: refusing to delete the k3d cluster foundation without a terminal/);
    assert.match(r.stderr, /pass --yes/);
    assert.doesNotMatch(r.calls, /delete/);
  });

  it('does nothing for a cluster that does not exist', () => {
    const r = destroy(['--yes', '--name', 'other']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no k3d cluster named other: nothing to do/);
    assert.doesNotMatch(r.calls, /delete/);
  });

  it('an empty --name or --workspace, or --name given twice, is exit 2: never the default, never the last one', () => {
    for (const [args, message] of [
      [['--yes', '--name', ''], /E_USAGE: --name is empty: give a value, or leave it out/],
      [['--yes', '--name', 'dev', '--name', 'foundation'], /--name is given more than once/],
      [['--yes', '--workspace', ''], /E_USAGE: --workspace is empty: give a value, or leave it out/],
    ] as const) {
      const r = destroy([...args], 'CLUSTER_NAME=dev\n');
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.calls, /delete/, 'nothing deleted');
    }
  });

  it('bad usage is exit 2 with the usage, never a stack trace: unknown option, invalid name', () => {
    for (const args of [['--force'], ['--name', 'Not_A_Label']]) {
      const r = destroy(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^cluster-destroy: E_[A-Z_]+: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.match(destroy(['--name', 'Not_A_Label']).stderr, /CLUSTER_NAME .*--name/);
  });

  it('--help, also through the bash wrapper', () => {
    const r = spawnSync('bash', [join(ROOT, 'scripts', 'cluster-destroy'), '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: scripts\/cluster-destroy \[--yes\]/);
  });
});
