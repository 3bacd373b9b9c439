// Every helper script answers --help: its usage on stdout, exit 0, no stack trace, nothing run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';

const SCRIPTS = readdirSync(join(ROOT, 'scripts')).filter((name) => {
  const s = statSync(join(ROOT, 'scripts', name));
  return s.isFile() && !name.includes('.') && (s.mode & 0o111) !== 0;
});

describe('scripts/* --help', { timeout: 120_000 }, () => {
  it('finds the scripts', () => {
    assert.ok(SCRIPTS.length >= 13, SCRIPTS.join(', '));
  });

  for (const name of SCRIPTS)
    it(`scripts/${name} --help`, () => {
      const r = spawnSync(join(ROOT, 'scripts', name), ['--help'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.ok(r.stdout.trim().length > 40, r.stdout);
      assert.ok(r.stdout.includes(`scripts/${name}`), `names itself:\n${r.stdout}`);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /\n\s+at \S+ \(|Error:/);
    });
});

describe('helper scripts, an option given twice', () => {
  it('is a usage error naming it (parseArgs alone keeps the last silently), before anything is asked', () => {
    for (const [name, args] of [
      ['kafka-consume-test', ['--topic', 'a', '--topic', 'b']],
      ['wait-for-infra', ['--timeout', '5', '--timeout', '6']],
    ] as const) {
      const r = spawnSync(join(ROOT, 'scripts', name), [...args], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`E_USAGE: --${args[0].slice(2)} is given more than once`));
    }
  });
});

describe('scripts/infra-up and --target', () => {
  it('passes a target given to it on, rather than adding its own beside it', () => {
    const ws = workspace(); // not the repository's own .env
    for (const target of [['--target', 'k3d'], ['--target=k3d']]) {
      const args = [...target, '--workspace', ws.dir];
      const r = spawnSync(join(ROOT, 'scripts', 'infra-up'), args, { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /E_USAGE: task 0-7 is not part of the k3d target/);
    }
  });
});
