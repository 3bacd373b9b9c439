// How a helper script ends: its main's exit code, or a FoundationError printed (redacted) with its fix
// and the exit code of the error table. The one place scripts/ turn errors into exit codes.
import { FoundationError, formatError } from '../lib/errors.js';
import { Redactor } from '../lib/redact.js';
import { EXIT } from '../lib/report/exit-codes.js';

let redactor = new Redactor();

/** The redactor of the configuration a script loaded, for errors printed after that. */
export function useRedactor(r: Redactor): void {
  redactor = r;
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
  }
}
