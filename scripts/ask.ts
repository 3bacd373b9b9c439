// A question on the terminal before a helper script deletes something; no terminal is a usage error
// (with its fix), never a silent yes.
import { createInterface } from 'node:readline/promises';
import { FoundationError } from '../lib/errors.js';

export async function ask(question: string, noTerminal: { message: string; fix: string }): Promise<string> {
  if (!process.stdin.isTTY) throw new FoundationError('E_USAGE', noTerminal.message, noTerminal.fix);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
