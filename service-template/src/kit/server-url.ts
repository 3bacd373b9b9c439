// What DATABASE_URL and REDIS_URL must get right beyond being URLs, said before anything connects.
// Messages never quote the value: it carries the password.
import type { z } from 'zod';

/**
 * Why the URL looks cut short by its own password, or undefined: a password holding /, ? or # (then an
 * @) not percent-encoded ends the host early, so part of the password becomes the host (and shows up
 * in "getaddrinfo ENOTFOUND <it>") and the rest lands in the path, a query name or the fragment — which
 * never hold an @ otherwise. A query value may (`?application_name=orders@eu`). Pure.
 */
export function cutShort(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined; // not a URL at all: z.url says so
  const { pathname, search, hash } = new URL(url);
  const queryNames = search
    .slice(1)
    .split('&')
    .map((pair) => pair.split('=')[0] ?? '');
  return [pathname, hash, ...queryNames].some((part) => part.includes('@'))
    ? 'an "@" after the host: percent-encode @, /, ? and # in the user or password (%40, %2F, %3F, %23)'
    : undefined;
}

/** Why the user or the password does not decode (a bare %: node-redis throws "URI malformed"). Pure. */
export function undecodable(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const { username, password } = new URL(url);
  try {
    decodeURIComponent(username);
    decodeURIComponent(password);
    return undefined;
  } catch {
    return 'the user or password is not valid percent-encoding: write % as %25';
  }
}

/** `z.url(…).superRefine(refuse(cutShort, …))`: each check's problem as an issue. */
export function refuse(
  ...checks: ((url: string) => string | undefined)[]
): (url: string, ctx: z.RefinementCtx) => void {
  return (url, ctx) => {
    for (const check of checks) {
      const problem = check(url);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }
  };
}
