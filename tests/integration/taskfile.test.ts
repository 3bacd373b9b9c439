import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const tool = findTool('task', 'TASK_BIN');
const skip = 'skip' in tool ? tool.skip : false;

function task(args: string[]) {
  const bin = 'path' in tool ? tool.path : 'task';
  const result = spawnSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      FOUNDATION_NO_SETUP: '1',
      NO_COLOR: '1',
    },
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('Taskfile.yml with a real go-task', { skip }, () => {
  it('task --list reads the Taskfile: every step and the common commands', () => {
    const r = task(['--list']);
    assert.equal(r.code, 0, r.out);
    for (const name of [
      'all',
      'plan',
      'validate',
      'ci',
      'deploy',
      'test',
      'lint',
      ...Array.from({ length: 13 }, (_, i) => `0-${i + 1}`),
    ]) {
      assert.match(r.out, new RegExp(`^\\* ${name}:`, 'm'), `task ${name} is listed`);
    }
  });

  it('task <step> runs the CLI: a step not built yet says so and exits 2 (with -x)', () => {
    const r = task(['-x', '0-11']);
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /task 0-11 \(automation\) is not implemented yet/);
    const plain = task(['0-11']);
    assert.notEqual(plain.code, 0, 'without -x go-task still fails (exit 201)');
  });

  it('task plan passes its arguments through to the CLI and its exit code with -x', () => {
    const ws = workspace();
    const r = task(['-x', 'plan', '--', '-C', ws.dir]);
    assert.equal(r.code, 3, r.out);
    assert.match(r.out, /\[0-1\] would-change/);
  });

  it('task default lists the tasks', () => {
    const r = task([]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /0-1 +Developer prerequisites/);
  });
});
