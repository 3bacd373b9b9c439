// Command options no other CLI test drives, on the built CLI (fake tools, no server): graph --format
// mermaid, new service --with/--dir/--description, deploy --dir pointing at no service.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, cli, workspace } from '../helpers/cli.js';

describe('command options (built CLI, fake tools)', { timeout: 120_000 }, () => {
  it('graph --format mermaid: a flowchart with every task and its dependency edges', async () => {
    const r = await cli(['graph', '--format', 'mermaid'], workspace());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^flowchart TD\n/);
    assert.match(r.stdout, /^ {2}t0_1\["0-1 Developer prerequisites, \.env and git hooks"\]$/m);
    assert.match(r.stdout, /^ {2}t0_1 --> t0_2$/m, '0-2 depends on 0-1');
  });

  it('graph with a last summary.json cut short: the graph, and a warning saying why no outcome is shown', async () => {
    const ws = workspace();
    mkdirSync(join(ws.dir, '.foundation', 'runs', 'latest'), { recursive: true });
    writeFileSync(join(ws.dir, '.foundation', 'runs', 'latest', 'summary.json'), '{"v":1,"tasks":[');
    const r = await cli(['graph'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0-1 /);
    assert.equal(
      r.stderr,
      "foundation: warning: .foundation/runs/latest/summary.json is not valid JSON (cut short or edited?): the last run's outcomes are not shown\n",
    );
    writeFileSync(join(ws.dir, '.foundation', 'runs', 'latest', 'summary.json'), '{"v":1}');
    assert.match((await cli(['graph'], ws)).stderr, /summary\.json has no task list/);
  });

  it('new service --with --dir --description: the parts, their packages, where asked, recorded', async () => {
    const ws = workspace();
    const args = ['new', 'service', 'orders-api', '--description', 'takes orders', '--dir', 'apps/orders'];
    const r = await cli([...args, '--with', 'postgres,redis'], ws);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^created orders-api in apps\/orders \(\d+ files, with postgres, redis, /);
    const dir = join(ws.dir, 'apps', 'orders');
    const record = JSON.parse(readFileSync(join(dir, '.foundation-template.json'), 'utf8')) as {
      answers: { name: string; description: string; parts: string[] };
    };
    assert.deepEqual(record.answers, {
      name: 'orders-api',
      description: 'takes orders',
      parts: ['postgres', 'redis'],
    });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.ok(
      pkg.dependencies.pg !== undefined && pkg.dependencies.redis !== undefined,
      'the parts’ clients',
    );
    assert.ok(
      existsSync(join(dir, 'src', 'kit', 'postgres')) && existsSync(join(dir, 'src', 'kit', 'redis')),
    );

    const plain = await cli(['new', 'service', 'plain-api', '--dir', 'apps/plain'], ws);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(existsSync(join(ws.dir, 'apps', 'plain', 'src', 'kit')), false, 'no --with: no kit');
  });

  it('new service from a subfolder: --dir is read from there, next: is a cd that works there, --with adds up', () => {
    const ws = workspace();
    const docs = join(ws.dir, 'docs');
    mkdirSync(docs);
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'scripts', 'foundation.js'), 'new', 'service', ...args],
        {
          cwd: docs,
          env: { PATH: ws.path, HOME: ws.dir },
          encoding: 'utf8',
        },
      );
    const here = run('here-api', '--dir', './here-api', '--with', 'postgres', '--with', 'redis');
    assert.equal(here.status, 0, here.stderr);
    assert.ok(existsSync(join(docs, 'here-api', 'package.json')), 'written where the user is');
    assert.match(here.stdout, /^created here-api in here-api \(\d+ files, with postgres, redis, /);
    assert.match(here.stdout, /\nnext: cd here-api && npm ci/);
    const usual = run('usual-api');
    assert.equal(usual.status, 0, usual.stderr);
    assert.ok(
      existsSync(join(ws.dir, 'services', 'usual-api', 'package.json')),
      'services/ of the workspace',
    );
    assert.match(usual.stdout, /\nnext: cd \.\.\/services\/usual-api && npm ci/);
    // -C elsewhere: --dir is read from there, next: is still a cd from where the shell is.
    const fromRoot = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'foundation.js'), '-C', 'docs', 'new', 'service', 'c-api', '--dir', 'c'],
      { cwd: ws.dir, env: { PATH: ws.path, HOME: ws.dir }, encoding: 'utf8' },
    );
    assert.equal(fromRoot.status, 0, fromRoot.stderr);
    assert.ok(existsSync(join(docs, 'c', 'package.json')), '-C docs: --dir c is docs/c');
    assert.match(fromRoot.stdout, /\nnext: cd docs\/c && npm ci/);
  });

  it('deploy with docker installed and no engine (the real CLI exits 1 then): E_TOOL_BROKEN, not "not installed"', async () => {
    const ws = workspace();
    assert.equal((await cli(['new', 'service', 'orders-api'], ws)).code, 0);
    const r = await cli(['deploy', 'orders-api'], ws, { FAKE_NO_DAEMON: '1' });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /E_TOOL_BROKEN: docker is installed but no Docker engine answers/);
    assert.doesNotMatch(r.stdout + r.stderr, /E_TOOL_MISSING/);
    // The record says where it stopped, and the summary too.
    assert.match(r.stdout, /\nstopped at: build, after \d/);
    const record = JSON.parse(
      readFileSync(join(ws.dir, '.foundation', 'deploys', 'latest.json'), 'utf8'),
    ) as { ok: boolean; failedStage?: { name: string } };
    assert.deepEqual([record.ok, record.failedStage?.name], [false, 'build']);
    // A deploy record that cannot be written (a folder in the way) is a warning after the summary; the
    // exit code stays the deploy's own.
    rmSync(join(ws.dir, '.foundation', 'deploys'), { recursive: true });
    mkdirSync(join(ws.dir, '.foundation', 'deploys', 'latest.json'), { recursive: true });
    const blocked = await cli(['deploy', 'orders-api'], ws, { FAKE_NO_DAEMON: '1' });
    assert.equal(blocked.code, r.code);
    assert.match(blocked.stdout, /✖ orders-api not deployed/);
    assert.match(
      blocked.stderr,
      /foundation: warning: \.foundation\/deploys\/latest\.json could not be written: .*foundation validate will not see this deploy/,
    );
  });

  it('deploy while another deploy of the service runs: refused, naming the process; a stale lock is taken over', async () => {
    const ws = workspace();
    assert.equal((await cli(['new', 'service', 'orders-api'], ws)).code, 0);
    const lock = join(ws.dir, '.foundation', 'deploys', 'orders-api.lock');
    mkdirSync(join(ws.dir, '.foundation', 'deploys'), { recursive: true });
    writeFileSync(lock, `${process.pid}\n`); // this test's own process: alive
    const held = await cli(['deploy', 'orders-api'], ws, { FAKE_NO_DAEMON: '1' });
    assert.equal(held.code, 2);
    assert.match(
      held.stderr,
      new RegExp(`E_USAGE: another deploy of orders-api is running \\(process ${process.pid}\\)`),
    );
    assert.equal(readFileSync(lock, 'utf8'), `${process.pid}\n`, 'the other deploy’s lock is left alone');
    writeFileSync(lock, '999999999\n'); // no such process
    const stale = await cli(['deploy', 'orders-api'], ws, { FAKE_NO_DAEMON: '1' });
    assert.match(stale.stdout + stale.stderr, /E_TOOL_BROKEN/, 'went on to the build');
    assert.equal(existsSync(lock), false, 'released at the end');
  });

  it('deploy --dir on target compose: refused (Compose builds from its own file), nothing recorded', async () => {
    const ws = workspace();
    const r = await cli(['--target', 'compose', 'deploy', 'demo-service', '--dir', 'elsewhere'], ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_USAGE: --dir does not apply on target compose/);
    assert.equal(existsSync(join(ws.dir, '.foundation', 'deploys')), false);
    // Refused before any stage ran (no .env with the secrets Compose needs): nothing deployed, so no
    // record replaces the last one.
    const refused = await cli(['--target', 'compose', 'deploy', 'demo-service'], ws, {
      FAKE_NO_DAEMON: '1',
    });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stdout + refused.stderr,
      /E_CONFIG_INVALID: \.env lacks .*which the Compose files need/,
    );
    assert.equal(existsSync(join(ws.dir, '.foundation', 'deploys', 'latest.json')), false, 'no record');
    assert.equal(
      existsSync(join(ws.dir, '.foundation', 'deploys', 'demo-service.lock')),
      false,
      'its lock released',
    );
  });

  it('validate --out at a file, empty, or in /proc: exit 2 before anything is measured', async () => {
    const ws = workspace();
    const cases: [string, RegExp][] = [
      ['.env.example', /--out .*\.env\.example: it is a file, not a folder/],
      ['', /--out "": an empty path/],
      ['.env.example/report', /report cannot be made: .*\.env\.example is a file, not a folder/],
    ];
    // Node's recursive mkdir never returned there: the command hung, deaf to SIGTERM.
    if (existsSync('/proc/self'))
      cases.push(['/proc/x', /--out \/proc\/x: \/proc is on a kernel or device filesystem/]);
    for (const [out, why] of cases) {
      const r = await cli(['validate', '--skip-perf', '--out', out], ws);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stdout, /checking every other task/, 'nothing was measured');
    }
  });

  it('deploy --dir at a folder without a Dockerfile: exit 2, E_USAGE naming it, with the fix', async () => {
    const r = await cli(['deploy', 'orders-api', '--dir', 'elsewhere'], workspace());
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'foundation: E_USAGE: elsewhere has no Dockerfile: it is not a service folder\n' +
        '  fix: generate it with foundation new service orders-api, or point at its folder with --dir <path>\n',
    );
  });
});
