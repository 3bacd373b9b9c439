import type { spawn as nodeSpawn } from 'node:child_process';
import type { Browser } from '../ports/host.js';
import { detectPlatform } from './platform.js';
import { createShell } from './shell.js';
import type { Shell } from '../ports/shell.js';

/** How long the opener may take: `open` and `xdg-open` hand the address over and return at once. */
const OPEN_TIMEOUT_MS = 15_000;

/**
 * The browser through the shell: `open` on macOS, `xdg-open` on Linux when there is a display to show it
 * on (over SSH or in a container there is none: xdg-open would start a text browser or fail). When no
 * opener applies, says why; the caller prints the address instead.
 */
export function createBrowser(
  sh: Shell,
  os: 'darwin' | 'linux' | 'other',
  env: Readonly<Record<string, string | undefined>>,
): Browser {
  return {
    async open(url) {
      if (os === 'other') return { opened: false, why: 'no known way to open a browser on this system' };
      if (os === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
        return { opened: false, why: 'no graphical session here (DISPLAY and WAYLAND_DISPLAY are unset)' };
      const command = os === 'darwin' ? 'open' : 'xdg-open';
      if ((await sh.which(command)) === null) return { opened: false, why: `${command} is not installed` };
      let r;
      try {
        r = await sh.run(command, [url], { stream: false, timeoutMs: OPEN_TIMEOUT_MS });
      } catch (error) {
        return { opened: false, why: `${command} failed: ${(error as Error).message}` };
      }
      if (r.exitCode === 0) return { opened: true, command };
      const first = r.stderr.trim().split('\n')[0] ?? '';
      return { opened: false, why: `${command} exited ${String(r.exitCode)}${first ? `: ${first}` : ''}` };
    },
  };
}

/** The browser of the machine the CLI runs on, through a shell of its own (no task log: nothing to record). */
export function desktopBrowser(o: { cwd: string; signal: AbortSignal; spawn?: typeof nodeSpawn }): Browser {
  const log = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  const os = detectPlatform(o.cwd).os;
  const sh = createShell({ cwd: o.cwd, signal: o.signal, log, os, ...(o.spawn ? { spawn: o.spawn } : {}) });
  return createBrowser(sh, os, process.env);
}
