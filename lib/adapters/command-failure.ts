import { stripVTControlCharacters } from 'node:util';
import { BROKEN_SIGNS } from '../broken-tool.js';
import { FoundationError } from '../errors.js';
import type { ShellResult } from '../ports/shell.js';

/** How a command ended, beyond its exit code: killed for taking too long, or cancelled by the user. */
export type Ending = 'exited' | 'timeout' | 'cancelled';

// Without terminal colour and cursor sequences: k3d colours its log lines even when not on a terminal.
const lines = (text: string): string[] =>
  stripVTControlCharacters(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const firstLines = (text: string, n = 3): string => lines(text).slice(0, n).join(' | ');

/**
 * A tool's own statement of what failed: `Error: UPGRADE FAILED: …` (helm), `error: …` (kubectl),
 * `fatal: …` (git), `ERRO[0003] …` / `FATA[0012] …` (logrus text: k3d, Docker), `level=error` / `fatal`.
 */
const ERROR_LINE = /^(error|fatal)\b:?|^(ERRO|FATA)\[|\blevel=(error|fatal)\b/i;
/**
 * Lines printed beside that error which are not it: client-go's klog info and warning lines (`I1128
 * 15:55:59.47 …`, `W1128 …`), the API server's `Warning: …` (PodSecurity, deprecations), logrus's
 * `WARN[…]`/`INFO[…]`/`DEBU[…]` and `level=warning|info|debug`.
 */
const NOISE = /^[IW]\d{4} \d\d:\d\d:\d\d|^warning:|^(WARN|INFO|DEBU)\[|\blevel=(warn(ing)?|info|debug)\b/i;

/**
 * What a failed command said, told the way a user needs it, in `n` lines at most. When the tool states
 * its error, that comes first, then its other lines without warnings and log noise. When it states none,
 * its lines as they are (a warning may then be the only cause given): the first ones and, past `n`, the
 * last, where tools print what ended them (`dependency failed to start: …`). Pure.
 */
export function failureText(text: string, n = 3): string {
  const all = lines(text);
  const errors = all.filter((l) => ERROR_LINE.test(l));
  if (errors.length > 0)
    return [...errors, ...all.filter((l) => !ERROR_LINE.test(l) && !NOISE.test(l))].slice(0, n).join(' | ');
  const last = all.at(-1);
  return all.length <= n || last === undefined
    ? all.join(' | ')
    : [...all.slice(0, n - 1), '…', last].join(' | ');
}

/**
 * What the docker CLI says when a plugin (compose, buildx) is absent: it reads `compose` as an unknown
 * command, or the plugin's `-f` as one of its own flags.
 */
const MISSING_PLUGIN = /is not a docker command|unknown shorthand flag: 'f' in -f/;
/** Docker 23+ asked for BuildKit (DOCKER_BUILDKIT=1) without its buildx plugin. */
const NO_BUILDX = /BuildKit is enabled but the buildx component is missing or broken/;

/**
 * The one place a command's failure becomes a coded error with its fix. Pure: the command, how it ended
 * and what it printed in, the error out (null when it succeeded). `install` is the tool's install fix.
 */
export function classifyCommand(
  command: string,
  args: readonly string[],
  result: ShellResult,
  ending: Ending,
  fixes: { install: string; fix?: string | undefined },
): FoundationError | null {
  const whole = [command, ...args].join(' ');
  const line = whole.length > 100 ? `${whole.slice(0, 97)}...` : whole;
  if (ending === 'cancelled') return new FoundationError('E_CANCELLED', `${line}: cancelled`);
  if (ending === 'timeout')
    return new FoundationError(
      'E_COMMAND_TIMEOUT',
      `${line} took too long and was stopped`,
      fixes.fix ?? 'see the task log for what it was doing, then run the task again',
    );
  if (result.exitCode === 0) return null;
  if (result.exitCode === 127 && !/\S/.test(result.stdout))
    return new FoundationError('E_TOOL_MISSING', `${command} is not installed (not on PATH)`, fixes.install);
  if (command === 'docker' && NO_BUILDX.test(result.stderr))
    return new FoundationError(
      'E_TOOL_MISSING',
      'docker buildx is not installed: this docker CLI builds with BuildKit only through it',
      "install Docker's buildx plugin (docker-buildx-plugin from Docker's apt repository; Docker Desktop has it), or set SERVICE_BUILDER=legacy",
    );
  const plugin = command === 'docker' ? args[0] : undefined;
  if (plugin !== undefined && MISSING_PLUGIN.test(result.stderr))
    return new FoundationError(
      'E_TOOL_MISSING',
      `docker ${plugin} is not installed (the docker CLI has no ${plugin} plugin)`,
      fixes.install,
    );
  if (result.exitCode === 126 || BROKEN_SIGNS.test(firstLines(result.stderr, 2)))
    return new FoundationError(
      'E_TOOL_BROKEN',
      `${command} is installed but cannot run: ${firstLines(result.stderr) || `exit ${String(result.exitCode)}`}`,
      `reinstall ${command}: ${fixes.install}`,
    );
  const why = failureText(result.stderr) || failureText(result.stdout) || 'no output';
  return new FoundationError(
    'E_COMMAND_FAILED',
    `${line} exited ${String(result.exitCode ?? 'on a signal')}: ${why}`,
    fixes.fix ?? 'see the task log for its whole output',
  );
}
