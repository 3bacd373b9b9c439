// What `list`, `graph` and `--help` load (as a new process, through the package's bin): no task module and
// none of the libraries only the other commands use; and the entry turns Node's compile cache on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, workspace } from '../helpers/cli.js';

const BIN = join(ROOT, 'dist', 'scripts', 'foundation.js');

/** A module for `node --import`: every module the process loads, one URL a line, into $LOADED_LOG. */
const RECORDER = `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({
  load(url, context, next) {
    appendFileSync(process.env.LOADED_LOG, url + '\\n');
    return next(url, context);
  },
});
`;

/**
 * Only the commands that run tasks need these (the task modules, the adapters and their libraries); and
 * zod, which the runner no longer uses (its 95 modules cost `list` about 78 ms; valibot validates instead).
 */
const HEAVY =
  /\/dist\/tasks\/\d\d-|\/dist\/lib\/adapters\/(world|shell|kube|helm)\.js|node_modules\/(zx|listr2|yaml|semver|pino|kafkajs|zod|@kubernetes|@opentelemetry|@platformatic)\//;

function loadedBy(args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'start-up-'));
  const recorder = join(dir, 'recorder.mjs');
  writeFileSync(recorder, RECORDER);
  const log = join(dir, 'loaded.txt');
  const ws = workspace();
  const r = spawnSync(process.execPath, ['--import', recorder, BIN, '-C', ws.dir, ...args], {
    encoding: 'utf8',
    env: { PATH: ws.path, HOME: ws.dir, LOADED_LOG: log },
  });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('start-up (built, as a new process)', () => {
  for (const args of [['list'], ['--json', 'list'], ['graph'], ['--help']]) {
    it(`${args.join(' ')} loads no task module, adapter world or task library`, () => {
      const loaded = loadedBy(args);
      // The recorder sees the CLI's own modules and commander: an empty log proves nothing.
      assert.ok(
        loaded.some((u) => u.endsWith('/dist/scripts/cli-main.js')),
        loaded.join('\n'),
      );
      assert.ok(
        loaded.some((u) => u.includes('node_modules/commander/')),
        loaded.join('\n'),
      );
      // The configuration is still validated (an invalid .env fails every command): by valibot.
      assert.ok(
        loaded.some((u) => u.includes('node_modules/valibot/')),
        loaded.join('\n'),
      );
      assert.deepEqual(
        loaded.filter((u) => HEAVY.test(u)),
        [],
      );
    });
  }

  it('the entry turns on Node’s module compile cache, in Node’s own directory under TMPDIR', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    const ws = workspace();
    const r = spawnSync(process.execPath, [BIN, '-C', ws.dir, 'list'], {
      encoding: 'utf8',
      env: { PATH: ws.path, HOME: ws.dir, TMPDIR: tmp },
    });
    assert.equal(r.status, 0, r.stderr);
    const cache = join(tmp, 'node-compile-cache');
    assert.ok(existsSync(cache), `no ${cache}`);
    // One directory per Node version and V8 flags, holding one entry per compiled module.
    const [version] = readdirSync(cache);
    assert.ok(version !== undefined && readdirSync(join(cache, version)).length > 10);
  });
});
