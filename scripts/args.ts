// How helper scripts read their arguments: `--help` prints the script's help (exit 0); a mistake is
// E_USAGE with the usage line as the fix (exit 2), never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
    return parseArgs(config);
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
