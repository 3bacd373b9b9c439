// Ctrl+C on the built CLI, as a terminal sends it (SIGINT to the command's process group), while task
// 0-1 waits on two tool commands: one ends on SIGTERM, one ignores it. Nothing may outlive the CLI, and
// the recap is the last thing it prints.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../lib/report/events.js';
import type { RunSummary } from '../../lib/report/summary.js';
import { FAKE_TOOLS, cli, workspace } from '../helpers/cli.js';
import { running, until } from '../helpers/processes.js';

/** A fake tool that hangs: Node, writing its pid once its SIGTERM handler is set (no shell trap to race). */
const hanging = (tool: string, onTerm: string): string =>
  `exec node -e "process.on('SIGTERM', () => { ${onTerm} });
require('fs').writeFileSync(process.env.FAKE_PIDS + '/${tool}', String(process.pid));
setInterval(() => undefined, 60000);"`;

const TOOLS = {
  ...FAKE_TOOLS,
  helm: hanging('helm', 'setTimeout(() => process.exit(0), 200);'), // ends on SIGTERM
  kubectl: hanging('kubectl', ''), // ignores it
};

describe('Ctrl+C on the CLI (built, as a new process)', () => {
  it('waits for the commands (killing the one that ignores SIGTERM), then the recap, last; exit 130', async () => {
    const ws = workspace(TOOLS);
    const pids = join(ws.dir, 'pids');
    mkdirSync(pids);
    const pidFiles = ['helm', 'kubectl'].map((tool) => join(pids, tool));
    const env = { FAKE_PIDS: pids, FOUNDATION_CANCEL_GRACE_MS: '2000' };
    let started = false;
    const r = await cli(
      ['run', '0-1'],
      ws,
      env,
      (child) => {
        void (async () => {
          // Both commands run (up to 60 s on a loaded machine); then Ctrl+C, to the whole job.
          started = await until(() => pidFiles.every((f) => existsSync(f)), 60_000);
          // Ctrl+C only once both run: interrupting earlier would test something else.
          process.kill(-(child.pid ?? 0), started ? 'SIGINT' : 'SIGKILL');
        })();
      },
      true,
    );
    assert.ok(started, `the tool commands never started within 60 s: ${r.stdout}${r.stderr}`);
    assert.equal(r.code, 130, r.stdout + r.stderr);
    for (const file of pidFiles) {
      const pid = Number(readFileSync(file, 'utf8'));
      assert.equal(running(pid), false, `${file}: process ${pid} is gone`);
    }
    const runDir = join(ws.dir, '.foundation', 'runs', 'latest');
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.tasks[0]?.outcome, 'cancelled');
    assert.equal(existsSync(join(ws.dir, '.env')), false, 'its check, ending late, did not go on to apply');
    // helm ended on SIGTERM, kubectl was killed; the other probes may still have been running too.
    assert.equal(summary.stopped?.killed, 1);
    assert.ok((summary.stopped?.waited ?? 0) >= 1, JSON.stringify(summary.stopped));
    // The recap is last: after its first line, no event line; it ends with the totals.
    const recap = r.stdout.slice(r.stdout.indexOf('\nRecap (run'));
    assert.ok(recap.length > 0, r.stdout);
    assert.doesNotMatch(recap, /^\[0-1\]/m, 'no task line after the recap');
    assert.match(recap, /\nStopped \d+ child processes: \d+ ended on SIGTERM, 1 killed after 2\.0 s\.\n/);
    assert.match(recap, /\n1 cancelled in [^\n]+ — exit 130\. Logs: \.foundation\/runs\/[^\n]+\/\n$/);
    assert.match(r.stderr, /SIGINT — cancelling/);
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    assert.equal(
      (JSON.parse(events.at(-1) ?? '{}') as RunEvent).type,
      'run:end',
      'run:end is the last event',
    );
  });
});
