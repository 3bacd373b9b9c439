import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_TARGETS } from '../../lib/automation/targets.js';
import { ROOT } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const tool = findTool('task', 'TASK_BIN');
const skip = 'skip' in tool ? tool.skip : false;

/** This build's node first; no set-up (the tests run from a build that must not change under them). */
const ENV = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  FOUNDATION_NO_SETUP: '1',
  NO_COLOR: '1',
};

function task(args: string[]) {
  const bin = 'path' in tool ? tool.path : 'task';
  const result = spawnSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: ENV,
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('Taskfile.yml with a real go-task, and the Makefile with make', { skip }, () => {
  it('task --list: every step (with its name as an alias) and every everyday command, each described', () => {
    const r = task(['--list']);
    assert.equal(r.code, 0, r.out);
    for (const t of ALL_TARGETS) {
      assert.match(r.out, new RegExp(`^\\* ${t.name}: +\\S`, 'm'), `task ${t.name} is listed with its desc`);
      for (const a of t.aliases ?? [])
        assert.match(r.out, new RegExp(`^\\* ${t.name}:.*aliases: ${a}\\)`, 'm'), a);
    }
  });

  it('a step by its name runs the CLI; with -x, Foundation’s own exit code comes through', () => {
    const help = task(['redpanda', '--', '--help']);
    assert.equal(help.code, 0, help.out);
    assert.match(help.out, /^Usage: foundation run \[options\] <ids\.\.\.>/m);
    const unknown = task(['-x', 'plan', '--', '0-99']);
    assert.equal(unknown.code, 2, unknown.out);
    assert.match(unknown.out, /E_UNKNOWN_TASK: unknown task "0-99"/);
    assert.notEqual(task(['plan', '--', '0-99']).code, 0, 'without -x go-task still fails (exit 201)');
  });

  it('make forwards every target and its arguments to go-task', () => {
    const make = (args: string[]) =>
      spawnSync('make', ['-s', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, TASK: 'echo' },
      });
    const r = make(['redpanda', 'deploy', 'ARGS=demo-service']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'redpanda -- demo-service\ndeploy -- demo-service\n');
    const real = spawnSync(
      'make',
      ['-s', 'redpanda', 'ARGS=--help', `TASK=${'path' in tool ? tool.path : 'task'}`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: ENV,
      },
    );
    assert.equal(real.status, 0, real.stderr);
    assert.match(real.stdout, /^Usage: foundation run/m);
  });

  it('make finds go-task where every step does: the tool directory, PATH, then Foundation’s cache', () => {
    // The Makefile alone in a folder of its own: no .foundation/tools/bin beside it.
    const cache = mkdtempSync(join(tmpdir(), 'make-cache-'));
    copyFileSync(join(ROOT, 'Makefile'), join(cache, 'Makefile'));
    mkdirSync(join(cache, 'bin'));
    writeFileSync(join(cache, 'bin', 'task'), '#!/bin/sh\necho "cached task: $*"\n', { mode: 0o755 });
    const bare = { PATH: '/usr/bin:/bin', HOME: cache }; // no go-task on PATH
    const cached = spawnSync('make', ['-s', 'redpanda'], {
      cwd: cache,
      encoding: 'utf8',
      env: { ...bare, FOUNDATION_CACHE: cache },
    });
    assert.equal(cached.status, 0, cached.stderr);
    assert.equal(cached.stdout, 'cached task: redpanda --\n');
    const none = spawnSync('make', ['-s', 'redpanda'], {
      cwd: cache,
      encoding: 'utf8',
      env: { ...bare, FOUNDATION_CACHE: join(cache, 'nothing') },
    });
    assert.notEqual(none.status, 0);
    assert.match(none.stderr, /go-task is not installed: run foundation run 0-11/);
  });
});
