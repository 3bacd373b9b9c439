// What DATABASE_URL and REDIS_URL must get right beyond being URLs, said before anything connects: a
// password with @, / or ? not percent-encoded cuts the URL elsewhere (part of the password becomes the
// host, which then shows up in "getaddrinfo ENOTFOUND <it>"), and a bare % makes node-redis throw
// "URI malformed" at start-up. Messages never quote the value: it carries the password.
import type { z } from 'zod';

/** The user and password problem of a server URL, or undefined (not a URL at all: z.url says so). Pure. */
export function credentialsProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const { username, password, pathname, search, hash } = new URL(url);
  if (`${pathname}${search}${hash}`.includes('@'))
    return 'an "@" after the host: percent-encode @, /, ? and # in the user or password (%40, %2F, %3F, %23)';
  try {
    decodeURIComponent(username + password);
  } catch {
    return 'the user or password is not valid percent-encoding: write % as %25';
  }
  return undefined;
}

/** The same, as a zod check: `z.url(…).superRefine(checkCredentials)`. */
export function checkCredentials(url: string, ctx: z.RefinementCtx): void {
  const problem = credentialsProblem(url);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
}
