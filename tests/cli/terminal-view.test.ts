// The terminal view as a person sees it: the built CLI in a real pseudo-terminal (tmux, 120×40), the
// screen read back. The live tasks with a spinner, the ✔ and the recap; Ctrl+C (cancelled, the recap,
// exit 130); a second Ctrl+C (out at once, the commands killed, no recap). CI is unset in the pane, so
// the CLI draws its live view (lib/ui/listr-view.ts), not the plain lines of CI.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAKE_TOOLS, ROOT, coverageEnv, workspace } from '../helpers/cli.js';
import { running, until } from '../helpers/processes.js';
import { terminal, tmuxPath, type Terminal } from '../helpers/tmux.js';

const TMUX = tmuxPath();
const FOUNDATION = join(ROOT, 'dist', 'scripts', 'foundation.js');
const TITLE = '0-1 Developer prerequisites, .env and git hooks';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const EXIT_LINE = /^(?:\^C)?exit=(\d+)$/m; // the terminal echoes a Ctrl+C as ^C
const LONG = 60_000; // a deadline for a loaded machine, never a wait

/** A fake tool that hangs, as cancel.test.ts's: Node, its pid written once its SIGTERM handler is set. */
const hanging = (tool: string, onTerm: string): string =>
  `exec node -e "process.on('SIGTERM', () => { ${onTerm} });
require('fs').writeFileSync(process.env.FAKE_PIDS + '/${tool}', String(process.pid));
setInterval(() => undefined, 60000);"`;
const CANCEL_TOOLS = {
  ...FAKE_TOOLS,
  helm: hanging('helm', 'setTimeout(() => process.exit(0), 200);'), // ends on SIGTERM
  kubectl: hanging('kubectl', ''), // ignores it
};

const open: Terminal[] = [];
after(() => {
  for (const t of open) t.close();
});

/** `foundation run 0-1` typed into a fresh terminal's shell, its exit status echoed after it. */
function start(tools: Record<string, string>, env: Record<string, string>) {
  const ws = workspace(tools);
  const pids = join(ws.dir, 'pids');
  mkdirSync(pids);
  const base = { PATH: ws.path, HOME: ws.dir, FAKE_PIDS: pids, ...coverageEnv() };
  const t = terminal(TMUX ?? 'tmux', ws.dir, { ...base, ...env });
  open.push(t);
  t.type(`env -u CI ${process.execPath} ${FOUNDATION} -C ${ws.dir} run 0-1; echo "exit=$?"`);
  return { t, ws, pids };
}

/** Wait until the fake tools run (their pid files); fail at once, with the screen, if the run ended first. */
async function toolsRun(t: Terminal, files: string[]): Promise<void> {
  const started = () => files.every((f) => existsSync(f));
  await until(() => started() || EXIT_LINE.test(t.screen()), LONG);
  assert.ok(started(), `the tool commands did not run:\n${t.screen()}`);
}

/** The exit status the pane's shell echoed, once it did. */
async function exitStatus(t: Terminal): Promise<{ code: number; screen: string }> {
  const screen = await t.waitFor(EXIT_LINE, LONG, 'the exit status');
  return { code: Number(EXIT_LINE.exec(screen)?.[1]), screen };
}

describe(
  'the terminal view, in a real terminal (tmux)',
  {
    skip: TMUX === undefined ? 'tmux is not installed (Debian: apt-get install tmux)' : false,
    timeout: 240_000,
  },
  () => {
    it('shows the task live with a spinner, then ✔ and the recap; exit 0', async () => {
      // helm answers only once the test has seen the live view: the task is running until then.
      const helm = `echo $$ > "$FAKE_PIDS/helm"; while [ ! -e "$FAKE_PIDS/go" ]; do sleep 0.1; done; echo v3.17.1+g980d8ac`;
      const { t, pids } = start({ ...FAKE_TOOLS, helm }, {});
      await toolsRun(t, [join(pids, 'helm')]);
      const live = await t.waitFor(new RegExp(`${SPINNER.source} ${TITLE}`), LONG, 'the running task');
      assert.doesNotMatch(live, /Recap|^exit=/m, 'nothing ended yet');
      writeFileSync(join(pids, 'go'), '');
      const { code, screen } = await exitStatus(t);
      assert.equal(code, 0, screen);
      const lines = screen.split('\n');
      const done = lines.findIndex((l) => l.startsWith(`✔ ${TITLE} — changed`));
      const recap = lines.findIndex((l) => l.startsWith('Recap (run, target k3d)'));
      assert.ok(done >= 0 && recap > done, `the ✔ line, then the recap:\n${screen}`);
      assert.doesNotMatch(screen, SPINNER, 'no spinner left');
      assert.match(screen, /^ {2}0-1 {2}Developer prerequisites, \.env and git hooks {2}✚ changed {2}\d/m);
      assert.match(screen, /^1 changed in [^\n]+ — exit 0\. Logs: \.foundation\/runs\/[^\n]+\/\nexit=0$/m);
    });

    it('Ctrl+C cancels: the screen says so, the recap counts it cancelled, exit 130', async () => {
      const { t, ws, pids } = start(CANCEL_TOOLS, { FOUNDATION_CANCEL_GRACE_MS: '2000' });
      const files = ['helm', 'kubectl'].map((tool) => join(pids, tool));
      await toolsRun(t, files);
      await t.waitFor(new RegExp(`${SPINNER.source} ${TITLE}`), LONG, 'the running task');
      t.interrupt();
      const { code, screen } = await exitStatus(t);
      assert.equal(code, 130, screen);
      assert.match(screen, /foundation: SIGINT — cancelling \(press Ctrl\+C again to quit at once\)/);
      assert.match(screen, new RegExp(`^. ${TITLE} — cancelled`, 'm'), 'the task row says cancelled');
      assert.match(screen, /^Stopped \d+ child processes: \d+ ended on SIGTERM, 1 killed after 2\.0 s\.$/m);
      assert.match(
        screen,
        /^1 cancelled in [^\n]+ — exit 130\. Logs: \.foundation\/runs\/[^\n]+\/\n(?:\^C)?exit=130$/m,
      );
      for (const f of files) assert.equal(running(Number(readFileSync(f, 'utf8'))), false, `${f}: gone`);
      assert.ok(existsSync(join(ws.dir, '.foundation', 'runs', 'latest', 'summary.json')));
    });

    it('a second Ctrl+C quits at once: the commands killed, no recap, exit 130', async () => {
      // The longest grace (60 s): the first Ctrl+C alone would end with a recap saying `killed after 60.0 s`.
      const { t, ws, pids } = start(CANCEL_TOOLS, { FOUNDATION_CANCEL_GRACE_MS: '60000' });
      const kubectl = join(pids, 'kubectl');
      await toolsRun(t, [kubectl, join(pids, 'helm')]);
      await t.waitFor(new RegExp(`${SPINNER.source} ${TITLE}`), LONG, 'the running task');
      t.interrupt();
      await t.waitFor(/SIGINT — cancelling/, LONG, 'the first Ctrl+C');
      assert.doesNotMatch(t.screen(), EXIT_LINE, 'still waiting for kubectl, which ignores SIGTERM');
      t.interrupt();
      // Before the grace ends: only the second Ctrl+C can have ended it.
      const screen = await t.waitFor(EXIT_LINE, 45_000, 'the exit status, before the 60 s grace');
      assert.equal(EXIT_LINE.exec(screen)?.[1], '130', screen);
      assert.doesNotMatch(screen, /Recap \(/, 'no recap');
      const pid = Number(readFileSync(kubectl, 'utf8'));
      assert.ok(await until(() => !running(pid), 10_000), 'kubectl was killed (SIGKILL, no grace)');
      const runs = join(ws.dir, '.foundation', 'runs');
      const [run, ...more] = readdirSync(runs);
      assert.ok(
        run !== undefined && more.length === 0,
        `one run directory, no latest: ${readdirSync(runs).join(', ')}`,
      );
      assert.ok(existsSync(join(runs, run, 'events.jsonl')), 'the run was recorded');
      assert.equal(existsSync(join(runs, run, 'summary.json')), false, 'no summary');
    });
  },
);
