// A question on the terminal before a helper script deletes something; no terminal is a usage error
// (with its fix), never a silent yes. Ctrl+C at the question is E_CANCELLED (exit 130), as anywhere else.
import { createInterface } from 'node:readline/promises';
import { FoundationError } from '../lib/errors.js';

export async function ask(question: string, noTerminal: { message: string; fix: string }): Promise<string> {
  if (!process.stdin.isTTY) throw new FoundationError('E_USAGE', noTerminal.message, noTerminal.fix);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } catch (error) {
    // readline rejects the open question with an AbortError on Ctrl+C (and when stdin closes).
    if (error instanceof Error && error.name === 'AbortError')
      throw new FoundationError('E_CANCELLED', 'interrupted at the question: nothing was changed');
    throw error;
  } finally {
    rl.close();
  }
}

/** A yes/no question, no by default: true only for "y" or "yes". */
export async function confirm(
  question: string,
  noTerminal: { message: string; fix: string },
): Promise<boolean> {
  return /^(y|yes)$/i.test(await ask(`${question} [y/N] `, noTerminal));
}
