// `foundation completion` loaded into the real shells (bash; zsh and fish from Debian's packages, installed
// by scripts/test-servers/install): `foundation run 0-` completes to the task ids, options to their values;
// `foundation completion install` writes where each shell looks, and task 0-11 keeps it current.
import assert from 'node:assert/strict';
import { TASK_MANIFEST } from '../../tasks/manifest.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, workspace } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const IDS = TASK_MANIFEST.map((t) => t.id);
const zsh = findTool('zsh', 'ZSH_BIN');
const fish = findTool('fish', 'FISH_BIN');
const bin = (t: typeof zsh): string => ('path' in t ? t.path : '');

async function script(shell: string): Promise<string> {
  const ws = workspace();
  const r = await cli(['completion', shell], ws);
  assert.equal(r.code, 0, r.stderr);
  const file = join(ws.dir, `completion.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

const sorted = (text: string): string[] => text.split(/\s+/).filter(Boolean).sort();

describe('shell completion in real shells', { timeout: 120_000 }, () => {
  it('bash: complete -F through COMP_WORDS, as bash-completion calls it', async () => {
    const file = await script('bash');
    const complete = (line: string) =>
      spawnSync(
        'bash',
        [
          '-c',
          `source "$1"; read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _foundation; echo "\${COMPREPLY[*]}"; complete -p foundation`,
          'bash',
          file,
          line,
        ],
        { encoding: 'utf8' },
      );
    const ids = complete('foundation run 0-');
    assert.equal(ids.status, 0, ids.stderr);
    const [words, registered] = ids.stdout.trim().split('\n');
    assert.deepEqual(sorted(words ?? ''), [...IDS].sort());
    assert.equal(registered, 'complete -F _foundation foundation');
    assert.equal(
      complete('foundation -C /tmp --target ').stdout.trim().split('\n')[0],
      'k3d compose cluster',
    );
    assert.equal(complete('foundation run red').stdout.trim().split('\n')[0], 'redpanda');
    assert.equal(
      complete('foundation new service x --d').stdout.trim().split('\n')[0],
      '--description --dir',
    );
  });

  it(
    'zsh: registered with compdef after compinit, and _foundation hands compadd the candidates',
    { skip: 'skip' in zsh ? zsh.skip : false },
    async () => {
      const file = await script('zsh');
      const r = spawnSync(
        bin(zsh),
        [
          '-f',
          '-c',
          'autoload -Uz compinit && compinit -u -D; source "$1"; print -r -- "$_comps[foundation]"; compadd() { shift; print -r -- "$@" }; words=(foundation run 0-); CURRENT=3; _foundation',
          'zsh',
          file,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const [registered, words] = r.stdout.trim().split('\n');
      assert.equal(registered, '_foundation');
      assert.ok(
        IDS.every((id) => sorted(words ?? '').includes(id)),
        words,
      );
    },
  );

  it(
    'fish: complete -C lists the task ids and the --target values',
    { skip: 'skip' in fish ? fish.skip : false },
    async () => {
      const file = await script('fish');
      const complete = (line: string) =>
        spawnSync(bin(fish), ['--no-config', '-c', `source ${file}; complete -C "${line}"`], {
          encoding: 'utf8',
        });
      const ids = complete('foundation run 0-');
      assert.equal(ids.status, 0, ids.stderr);
      assert.deepEqual(
        ids.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('\t')[0])
          .sort(),
        [...IDS].sort(),
      );
      assert.deepEqual(
        complete('foundation --target ')
          .stdout.trim()
          .split('\n')
          .map((l) => l.split('\t')[0]),
        ['cluster', 'compose', 'k3d'],
      );
    },
  );

  it('completion install writes where the shell looks; task 0-11 rewrites a stale copy', async () => {
    const ws = workspace();
    const installed = await cli(['completion', 'install'], ws, { SHELL: '/bin/zsh' });
    assert.equal(installed.code, 0, installed.stderr);
    const path = join(ws.dir, '.zfunc', '_foundation');
    assert.match(installed.stdout, new RegExp(`installed the zsh completion: ${path}\\nadd to ~/\\.zshrc`));
    const fresh = readFileSync(path, 'utf8');
    writeFileSync(path, '#compdef foundation\n# an old version\n');
    // go-task where scripts/test-servers/install put it (HOME is the workspace here).
    const cache = {
      FOUNDATION_CACHE: process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation'),
    };
    const plan = await cli(['plan', '0-11'], ws, cache);
    assert.match(plan.stdout, /the zsh completion in .*_foundation is out of date/);
    const run = await cli(['run', '0-11'], ws, cache);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readFileSync(path, 'utf8'), fresh);
    const unknown = await cli(['completion', 'install'], ws, { SHELL: '/bin/tcsh' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no completion for the shell "tcsh".*\n.*--shell bash\|zsh\|fish/);
  });
});
