/**
 * Kit blocks in template text files: lines between a `kit:<parts>` marker and `kit:end` ship only in a
 * service that has those parts. The marker is a comment in the file's own syntax, alone on its line:
 *   // kit:postgres      # kit:redis      <!-- kit:grpc+auth -->   (+: all of them)
 *   // kit:grpc+!auth    (!: that part absent)    # kit:postgres|redis   (|: either)
 *   // kit:any           (at least one part)      // kit:none   (no part at all)
 *   // kit:end
 * Marker lines never ship; blocks nest. The template itself, with every part, is valid code as is.
 */
const MARKER = /^\s*(?:\/\/|#|<!--)\s*kit:(!?[a-z][a-z0-9+!|-]*)\s*(?:-->)?\s*$/;

export class MarkerError extends Error {
  override readonly name = 'MarkerError';
}

function wanted(spec: string, chosen: readonly string[], known: readonly string[], where: string): boolean {
  if (spec === 'any') return chosen.length > 0;
  if (spec === 'none') return chosen.length === 0;
  const either = spec
    .split('|')
    .map((all) => all.split('+').map((t) => ({ part: t.replace(/^!/, ''), absent: t.startsWith('!') })));
  const unknown = either
    .flat()
    .filter((t) => !known.includes(t.part))
    .map((t) => t.part);
  if (unknown.length > 0) throw new MarkerError(`${where}: unknown kit part "${unknown.join('", "')}"`);
  return either.some((terms) => terms.every((t) => chosen.includes(t.part) !== t.absent));
}

/** The text as a service with `chosen` parts gets it. Pure; a malformed block throws MarkerError. */
export function applyMarkers(
  text: string,
  chosen: readonly string[],
  known: readonly string[],
  path: string,
): string {
  if (!text.includes('kit:')) return text;
  const out: string[] = [];
  // Blocks nest: a line ships when every block around it does.
  const open: { keep: boolean; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = MARKER.exec(line);
    const where = `${path}:${i + 1}`;
    if (m === null) {
      if (open.every((b) => b.keep)) out.push(line);
      continue;
    }
    const spec = m[1] ?? '';
    if (spec === 'end') {
      if (open.pop() === undefined) throw new MarkerError(`${where}: kit:end without a kit block`);
      continue;
    }
    open.push({ keep: wanted(spec, chosen, known, where), line: i + 1 });
  }
  const unclosed = open.pop();
  if (unclosed !== undefined)
    throw new MarkerError(`${path}: the kit block opened on line ${unclosed.line} has no kit:end`);
  return out.join('\n');
}
