import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const gitleaks = findTool('gitleaks', 'GITLEAKS_BIN');

/** A fake AWS access key id, made up now, so none lives in this repository. */
const fakeKey = (): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
};

/** A git repository with this project's hooks installed through lefthook, as task 0-1 installs them. */
function repoWithHooks(): { dir: string; commit(file: string, text: string): SpawnSyncReturns<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  copyFileSync(join(ROOT, 'lefthook.yml'), join(dir, 'lefthook.yml'));
  mkdirSync(join(dir, 'scripts', 'hooks'), { recursive: true });
  copyFileSync(join(ROOT, 'scripts', 'hooks', 'secret-scan'), join(dir, 'scripts', 'hooks', 'secret-scan'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'lefthook', 'bin', 'index.js'), 'install'], {
    cwd: dir,
    stdio: 'pipe',
  });
  const env = {
    ...process.env,
    PATH: `${dirname('path' in gitleaks ? gitleaks.path : '')}:${process.env.PATH ?? ''}`,
    LEFTHOOK: '1',
  };
  return {
    dir,
    commit(file, text) {
      writeFileSync(join(dir, file), text);
      execFileSync('git', ['add', file], { cwd: dir });
      return spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-m', `add ${file}`], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
    },
  };
}

describe(
  'pre-commit secret scanning (real git, lefthook and gitleaks)',
  { skip: 'skip' in gitleaks ? gitleaks.skip : false },
  () => {
    it('blocks a commit that adds a cloud key, without printing the key', () => {
      const repo = repoWithHooks();
      const key = fakeKey();
      const r = repo.commit('settings.txt', `aws_access_key_id = ${key}\n`);
      assert.notEqual(r.status, 0, 'the commit was blocked');
      assert.match(`${r.stdout}${r.stderr}`, /leaks found|aws-access-token/i);
      assert.match(`${r.stdout}${r.stderr}`, /File:\s+settings\.txt/, 'where it is');
      assert.match(`${r.stdout}${r.stderr}`, /the commit was stopped: .*\n\s+fix: keep the value in \.env/);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, new RegExp(key), 'the key is redacted');
      const log = spawnSync('git', ['log', '--oneline'], { cwd: repo.dir, encoding: 'utf8' });
      assert.equal(log.stdout.trim(), '', 'nothing was committed');
    });

    it('lets a clean commit through', () => {
      const repo = repoWithHooks();
      const r = repo.commit('notes.txt', 'nothing secret here\n');
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    });
  },
);
