// What a workspace's .gitignore says about one path (task 0-9 keeps .env and .foundation/ ignored).

/**
 * Whether the last line of .gitignore that names `path` ignores it (`.env`, `/.env`) or re-includes it
 * (`!.env`); null when none does. The last matching rule wins, so an ignore line appended after a
 * re-include works, and one appended after an ignore line would change nothing. Pure.
 */
export function lastRule(gitignore: string, path: string): 'ignore' | 'include' | null {
  let last: 'ignore' | 'include' | null = null;
  for (const raw of gitignore.split('\n')) {
    const line = raw.trim();
    const negated = line.startsWith('!');
    if ((negated ? line.slice(1) : line).replace(/^\//, '') === path) last = negated ? 'include' : 'ignore';
  }
  return last;
}
