import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeFolder } from '../../lib/adapters/folder.js';
import { FoundationError } from '../../lib/errors.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'folder-test-'));

describe('makeFolder', () => {
  it('makes the folder and its parents, and leaves one that exists as it is', () => {
    const dir = join(scratch(), '.foundation', 'runs', 'r1');
    makeFolder(dir, 'runs');
    writeFileSync(join(dir, 'kept'), 'x');
    makeFolder(dir, 'runs');
    assert.ok(statSync(dir).isDirectory());
    assert.equal(readFileSync(join(dir, 'kept'), 'utf8'), 'x');
  });

  it('names the file in the way with the fix, and keeps the file', () => {
    const root = scratch();
    const file = join(root, '.foundation');
    writeFileSync(file, 'notes');
    const dir = join(file, 'runs', 'r1');
    assert.throws(
      () => {
        makeFolder(dir, 'runs');
      },
      (error: unknown) => {
        assert.ok(error instanceof FoundationError);
        assert.equal(error.code, 'E_FOLDER_UNUSABLE');
        assert.equal(error.exitCode, 2);
        assert.equal(error.message, `${dir} cannot be made: ${file} is a file, not a folder (runs)`);
        assert.equal(error.fix, `move ${file} aside (mv ${file} ${file}.bak), then run the command again`);
        return true;
      },
    );
    assert.equal(readFileSync(file, 'utf8'), 'notes');
  });

  it('finds the file deeper down, below folders that exist', () => {
    const root = scratch();
    mkdirSync(join(root, '.foundation'));
    writeFileSync(join(root, '.foundation', 'runs'), 'notes');
    assert.throws(
      () => {
        makeFolder(join(root, '.foundation', 'runs', 'r1'), 'runs');
      },
      new RegExp(`: ${join(root, '.foundation', 'runs')} is a file, not a folder`),
    );
  });

  it('the folder itself a file: named too', () => {
    const root = scratch();
    writeFileSync(join(root, 'reports'), 'x');
    assert.throws(
      () => {
        makeFolder(join(root, 'reports'), 'reports');
      },
      { code: 'E_FOLDER_UNUSABLE' },
    );
  });
});
