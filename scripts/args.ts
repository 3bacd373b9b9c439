// How helper scripts read their arguments: `--help` prints the script's help (exit 0); a mistake is
// E_USAGE with the usage line as the fix (exit 2), never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FoundationError } from '../lib/errors.js';
import { jsonLine } from '../lib/report/json-line.js';

/** Say what is wrong and exit (2 = bad usage). */
export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** parseArgs with --help and usage errors handled; `help` starts with its `Usage:` line. */
export function scriptArgs<T extends ParseArgsConfig>(
  config: T,
  help: string,
): ReturnType<typeof parseArgs<T>> {
  const argv = config.args ?? process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help.endsWith('\n') ? help : `${help}\n`);
    process.exit(0);
  }
  try {
    const parsed = parseArgs(config);
    refuseRepeated(config, argv);
    return parsed;
  } catch (error) {
    const usage = help.split('\n')[0]?.replace(/^Usage:\s*/, '') ?? '';
    const name = /^scripts\/(\S+)/.exec(usage)?.[1] ?? 'script';
    const message = (error as Error).message;
    // With --json the mistake is a JSON line on stdout too, as every other error of the script.
    if (argv.includes('--json'))
      process.stdout.write(jsonLine('error', { code: 'E_USAGE', message, fix: usage, exitCode: 2 }));
    return fail(`${name}: E_USAGE: ${message}\n  fix: ${usage}`);
  }
}

/** `--topic a --topic b`: parseArgs keeps the last silently; a value given twice is a mistake to say. */
function refuseRepeated(config: ParseArgsConfig, argv: readonly string[]): void {
  const { tokens } = parseArgs({ ...config, args: [...argv], tokens: true });
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = config.options?.[t.name];
    if (spec?.type !== 'string' || spec.multiple === true) continue;
    if (seen.has(t.name)) throw new Error(`--${t.name} is given more than once: give it once`);
    seen.add(t.name);
  }
}

/** A whole-number flag within bounds (digits only: not 1e3, not 0x10), or E_USAGE naming it. */
export function boundedInt(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new FoundationError(
      'E_USAGE',
      `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value.slice(0, 40))}`,
      `pass ${flag} <${min}-${max}> (see --help)`,
    );
  return n;
}
