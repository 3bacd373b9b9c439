// A real pseudo-terminal for the CLI's terminal view: a detached tmux session of a fixed size on a
// private socket (never a user's tmux server, never their ~/.tmux.conf), a shell in it that a test
// types into, and the screen as tmux shows it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './processes.js';

/** The tmux binary, or undefined when it is not installed. */
export function tmuxPath(): string | undefined {
  const found = execFileSync('sh', ['-c', 'command -v tmux || true'], { encoding: 'utf8' }).trim();
  return found.startsWith('/') ? found : undefined;
}

export interface Terminal {
  /** Type a line into the pane's shell and press Enter. */
  type(line: string): void;
  /** Press Ctrl+C (the terminal sends SIGINT to the foreground process group). */
  interrupt(): void;
  /** The screen as it is now (capture-pane: the visible lines, without colours). */
  screen(): string;
  /** Wait until the screen matches `pattern` (a deadline, polled); the screen it matched, or throw. */
  waitFor(pattern: RegExp, ms: number, what: string): Promise<string>;
  close(): void;
}

/**
 * A 120×40 terminal running `sh` in `cwd` with exactly `env` (tmux adds TERM, TMUX and TMUX_PANE).
 * `close` kills its server and removes the socket's directory.
 */
export function terminal(tmux: string, cwd: string, env: Record<string, string>): Terminal {
  const dir = mkdtempSync(join(tmpdir(), 'foundation-tmux-'));
  const sock = join(dir, 'sock');
  const run = (...args: string[]): string =>
    execFileSync(tmux, ['-S', sock, '-f', '/dev/null', ...args], { env, cwd, encoding: 'utf8' });
  run('new-session', '-d', '-x', '120', '-y', '40', '-s', 'view', '-c', cwd, 'sh');
  const screen = (): string => run('capture-pane', '-p', '-t', 'view');
  return {
    type(line) {
      run('send-keys', '-t', 'view', '-l', line);
      run('send-keys', '-t', 'view', 'Enter');
    },
    interrupt() {
      run('send-keys', '-t', 'view', 'C-c');
    },
    screen,
    async waitFor(pattern, ms, what) {
      let last = '';
      const seen = await until(() => pattern.test((last = screen())), ms);
      if (!seen) throw new Error(`${what}: not on the screen within ${ms / 1000} s. Screen:\n${last}`);
      return last;
    },
    close() {
      try {
        run('kill-server');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
