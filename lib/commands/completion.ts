import { INSTALL_PATHS, SHELLS, isShell } from '../automation/completion.js';
import { FoundationError } from '../errors.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { App } from './app.js';

/**
 * `foundation completion bash|zsh|fish` prints the script; `foundation completion install [--shell s]`
 * writes it where that shell loads completions from (the shell from $SHELL unless given) and says what
 * else the shell needs. Task 0-11 keeps an installed copy in step with the CLI.
 */
export async function completionCommand(
  app: App,
  what: string,
  o: { shell?: string; loginShell?: string },
): Promise<ExitCode> {
  const ctx = app.makeContext(app.signal, {
    info: () => undefined,
    warn: () => undefined,
    debug: () => undefined,
  });
  if (isShell(what)) {
    const script = ctx.automation.completion(what);
    app.stdout(app.output === 'json' ? jsonLine('completion', { shell: what, script }) : script);
    return EXIT.ok;
  }
  if (what !== 'install')
    throw new FoundationError(
      'E_USAGE',
      `unknown shell "${what}"`,
      `foundation completion ${SHELLS.join('|')}|install`,
    );
  const shell = o.shell ?? (o.loginShell ?? '').split('/').pop() ?? '';
  if (!isShell(shell))
    throw new FoundationError(
      'E_USAGE',
      shell === '' ? 'which shell? $SHELL is not set' : `no completion for the shell "${shell}"`,
      `foundation completion install --shell ${SHELLS.join('|')}`,
    );
  const path = await ctx.automation.writeCompletion(shell, ctx.automation.completion(shell));
  const { note } = INSTALL_PATHS[shell];
  app.stdout(
    app.output === 'json'
      ? jsonLine('completion', { shell, installed: path, note })
      : `installed the ${shell} completion: ${path}\n${note}\n`,
  );
  return EXIT.ok;
}
