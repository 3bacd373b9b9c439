// What a workspace's .gitignore says about one path (task 0-9 keeps .env and .foundation/ ignored).

/**
 * Whether the last line of .gitignore that concerns `path` ignores it (the line is `.env` or `/.env`) or
 * may re-include it (a `!` line whose pattern matches it: `!.env`, `!.env*`); null when none does. Only
 * an exact line counts as ignoring (a glob may be someone else's rule). The last matching rule wins, so an
 * ignore line appended after a re-include works, and one appended after an ignore line changes nothing.
 * Leading spaces are part of a pattern for git, trailing ones are not. Pure.
 */
export function lastRule(gitignore: string, path: string): 'ignore' | 'include' | null {
  let last: 'ignore' | 'include' | null = null;
  for (const raw of gitignore.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.startsWith('!')) {
      if (globMatches(line.slice(1).replace(/^\//, ''), path)) last = 'include';
    } else if (line.replace(/^\//, '') === path) last = 'ignore';
  }
  return last;
}

/** A gitignore pattern's `*` and `?` (not `/`), against a path with or without its trailing `/`. */
function globMatches(pattern: string, path: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/\/$/, '')
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(path.replace(/\/$/, ''));
}
