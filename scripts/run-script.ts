// How a helper script ends: its main's exit code, or a FoundationError printed (redacted) with its fix
// and the exit code of the error table. The one place scripts/ turn errors into exit codes.
import { FoundationError, formatError } from '../lib/errors.js';
import { Redactor } from '../lib/redact.js';
import { EXIT } from '../lib/report/exit-codes.js';
import { jsonLine } from '../lib/report/json-line.js';
import { drained } from './process-hooks.js';

let redactor = new Redactor();
let json = false;

/** The redactor of the configuration a script loaded, for errors printed after that. */
export function useRedactor(r: Redactor): void {
  redactor = r;
}

/**
 * The script was given --json: its result is one JSON line on stdout (`say`), and an error is one too
 * (`{"v":1,"type":"error",…}`, as `foundation --json` prints it), besides the words on stderr.
 */
export function useJson(on: boolean): void {
  json = on;
}

/** A script's result: the words for a person, or with --json one line of `type` with `data`. */
export function say(text: string, type: string, data: Readonly<Record<string, unknown>>): void {
  process.stdout.write(redactor.redact(json ? jsonLine(type, data) : `${text}\n`));
}

export async function runScript(name: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    const info =
      error instanceof FoundationError
        ? error.toInfo()
        : { code: 'E_UNEXPECTED' as const, message: error instanceof Error ? error.message : String(error) };
    process.stderr.write(`${name}: ${redactor.redact(formatError(info))}\n`);
    process.exitCode = error instanceof FoundationError ? error.exitCode : EXIT.unexpected;
    if (json)
      process.stdout.write(redactor.redact(jsonLine('error', { ...info, exitCode: process.exitCode })));
  }
  // Done: nothing a client left open (a broker that never answered) may hold the process on.
  await drained();
  process.exit(process.exitCode);
}
