// `foundation open <name>` as a new process: the desktop opener (a recording fake of xdg-open / open on
// PATH) gets the UI's address; without a graphical session, or when the opener fails, the address is
// printed instead; an unknown name is a usage error listing the names.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAKE_TOOLS, cli, workspace } from '../helpers/cli.js';

/** A workspace whose `xdg-open` and `open` write their arguments to opened.txt (or fail with FAKE_FAIL). */
function desktop(): { dir: string; path: string } {
  const opener = `if [ -n "$FAKE_FAIL" ]; then echo "no method available for opening '$1'" >&2; exit 3; fi
echo "$@" >> opened.txt`;
  return workspace({ ...FAKE_TOOLS, 'xdg-open': opener, open: opener });
}

describe('foundation open', () => {
  it('opens the UI’s address with the desktop’s opener, and says how to log in', async () => {
    const ws = desktop();
    const r = await cli(['open', 'grafana'], ws, { DISPLAY: ':0', FOUNDATION_TARGET: 'k3d' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(ws.dir, 'opened.txt'), 'utf8'), 'http://grafana.localhost:8080\n');
    assert.match(r.stdout, /^opened http:\/\/grafana\.localhost:8080 \((xdg-)?open\); login: user admin/);
  });

  it('a setting in .env is the address opened (compose: the fixed port otherwise)', async () => {
    const ws = desktop();
    const r = await cli(['open', 'console'], ws, {
      DISPLAY: ':0',
      FOUNDATION_TARGET: 'compose',
      CONSOLE_URL: 'http://127.0.0.1:18080',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(ws.dir, 'opened.txt'), 'utf8'), 'http://127.0.0.1:18080\n');
  });

  it('a setting with credentials: the opener and the output get the address without them, never the password', async () => {
    const ws = desktop();
    const password = 'open-pw-7391-secret';
    const r = await cli(['open', 'grafana'], ws, {
      DISPLAY: ':0',
      FOUNDATION_TARGET: 'k3d',
      GRAFANA_URL: `http://viewer:${password}@127.0.0.1:3000/grafana`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(ws.dir, 'opened.txt'), 'utf8'), 'http://127.0.0.1:3000/grafana\n');
    assert.match(
      r.stdout,
      /^opened http:\/\/127\.0\.0\.1:3000\/grafana \((xdg-)?open\); login: the credentials in GRAFANA_URL \(\.env\)\n$/,
    );
    assert.ok(!(r.stdout + r.stderr).includes(password));
  });

  it('no graphical session (Linux) or a failing opener: the address is printed, exit 0', async (t) => {
    const ws = desktop();
    if (process.platform === 'linux') {
      const headless = await cli(['open', 'prometheus'], ws, { FOUNDATION_TARGET: 'compose' });
      assert.equal(headless.code, 0, headless.stderr);
      assert.equal(headless.stdout, 'http://127.0.0.1:9090\n');
      assert.match(headless.stderr, /not opened: no graphical session/);
      assert.ok(!existsSync(join(ws.dir, 'opened.txt')), 'no opener ran');
      const json = await cli(['--json', 'open', 'prometheus'], ws, { FOUNDATION_TARGET: 'compose' });
      assert.deepEqual(JSON.parse(json.stdout), {
        v: 1,
        type: 'open',
        name: 'prometheus',
        url: 'http://127.0.0.1:9090',
        login: 'none (no login; reachable from this machine only)',
        opened: false,
        why: 'no graphical session here (DISPLAY and WAYLAND_DISPLAY are unset)',
      });
    } else t.diagnostic('the headless case is Linux only');
    const failing = await cli(['open', 'alertmanager'], ws, {
      DISPLAY: ':0',
      FAKE_FAIL: '1',
      FOUNDATION_TARGET: 'k3d',
    });
    assert.equal(failing.code, 0, failing.stderr);
    assert.equal(failing.stdout, 'http://alertmanager.localhost:8080\n');
    assert.match(failing.stderr, /not opened: (xdg-)?open exited 3: no method available/);
  });

  it('an unknown name → exit 2 listing the names; a target without an address → exit 2 with the fix', async () => {
    const ws = desktop();
    const unknown = await cli(['open', 'grafna'], ws, { DISPLAY: ':0' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /E_USAGE: there is no UI named "grafna"/);
    assert.match(unknown.stderr, /grafana, console, prometheus, alertmanager/);
    const none = await cli(['open', 'grafana'], ws, { DISPLAY: ':0', FOUNDATION_TARGET: 'cluster' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /grafana has no address on target cluster/);
    assert.match(none.stderr, /kubectl -n infra port-forward svc\/kube-prometheus-stack-grafana 3000:80/);
    assert.ok(!existsSync(join(ws.dir, 'opened.txt')), 'nothing was opened');
  });
});
