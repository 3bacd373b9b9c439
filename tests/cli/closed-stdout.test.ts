// A reader that goes away (`foundation --json plan | head -1`): the CLI stops at once, children killed,
// exit 141 as a shell reports any tool SIGPIPE ended, with no stack trace, not dying of an unhandled EPIPE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli, workspace } from '../helpers/cli.js';

describe('stdout closed by its reader', () => {
  for (const args of [['--json', 'plan'], ['list']]) {
    it(`${args.join(' ')}: exit 141, no EPIPE error or stack trace`, async () => {
      const r = await cli(args, workspace(), {}, (child) => {
        child.stdout?.destroy(); // the read end closes before the CLI writes its first line
      });
      assert.equal(r.code, 141, r.stderr);
      assert.doesNotMatch(r.stderr, /EPIPE|Error:|\n\s+at /);
    });
  }
});
