// The CLI process's own parts: the signals that cancel a run, an error's last words.
// scripts/cli.ts uses them and keeps the one process.exit (`quit`).
import { truthy } from '../lib/config/flags.js';
import type { ChildRegistry } from '../lib/adapters/children.js';
import { FoundationError, formatError, toErrorInfo, type ErrorInfo } from '../lib/errors.js';
import type { Redactor } from '../lib/redact.js';
import { jsonLine } from '../lib/report/json-line.js';
import { colourWanted, createStyler } from '../lib/ui/style.js';
import { EXIT } from '../lib/report/exit-codes.js';

/** A coded error's last words: its line with the fix on stderr, and as a JSON line with --json. */
function say(info: ErrorInfo & { readonly exitCode: number }, json: boolean): void {
  if (json) process.stdout.write(jsonLine('error', { ...info }));
  const style = createStyler(colourWanted({ isTTY: process.stderr.isTTY, json, env: process.env }));
  process.stderr.write(`${style('bad', 'foundation:')} ${formatError(info)}\n`);
}

/** An error that ended the command: said on stderr (and as a JSON line with --json); its exit code. */
export function reportError(error: unknown, json: boolean, redactor: Redactor): number {
  const exitCode = error instanceof FoundationError ? error.exitCode : EXIT.unexpected;
  say(redactor.redactDeep({ ...toErrorInfo(error, 'E_UNEXPECTED'), exitCode }), json);
  if (!(error instanceof FoundationError)) {
    if (truthy(process.env.FOUNDATION_DEBUG) && error instanceof Error)
      process.stderr.write(`${redactor.redact(error.stack ?? '')}\n`);
    else process.stderr.write('(set FOUNDATION_DEBUG=1 to see the stack trace)\n');
  }
  return exitCode;
}

/** A command-line mistake (usageError's data), said as every other coded error is. */
export function reportUsage(
  usage: ErrorInfo & { readonly exitCode: number },
  json: boolean,
  redactor: Redactor,
): number {
  say(redactor.redactDeep(usage), json);
  return usage.exitCode;
}

export function installProcessHooks(o: {
  controller: AbortController;
  children: ChildRegistry;
  /** Exit at once: 130 for a second Ctrl+C, 141 when the output's reader went away. */
  quit: (code: number) => never;
}): void {
  // The first Ctrl+C (or SIGTERM) cancels: the run stops its children and ends with its recap.
  let interrupts = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      interrupts += 1;
      if (interrupts > 1) {
        o.children.killAll(); // they lead their own process groups: nothing else would stop them
        o.quit(EXIT.cancelled);
      }
      process.stderr.write(`\nfoundation: ${signal} — cancelling (press Ctrl+C again to quit at once)\n`);
      o.controller.abort(new FoundationError('E_CANCELLED', `cancelled by ${signal}`));
    });
  }

  // The reader of stdout went away (`foundation --json plan | head -1`): nothing more can be said, so stop
  // at once, children killed, with the code a shell reports for any tool SIGPIPE ended (141), rather than
  // die of an unhandled EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    o.controller.abort(new FoundationError('E_CANCELLED', 'the reader of stdout went away'));
    o.children.killAll();
    o.quit(EXIT.brokenPipe);
  });

  // The terminal hung up: the children, in their own sessions, would not get its SIGHUP. Pass it on, then
  // end by it as before. (Not when stdout is no terminal: under nohup the run goes on.)
  if (process.stdout.isTTY) {
    process.once('SIGHUP', () => {
      o.children.killAll('SIGHUP');
      process.kill(process.pid, 'SIGHUP');
    });
  }
}

/** Resolves once what was written to stdout and stderr has been handed to the system. */
export async function drained(): Promise<void> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.destroyed || !stream.writable) resolve();
          else
            stream.write('', () => {
              resolve();
            });
        }),
    ),
  );
}
