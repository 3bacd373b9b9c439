// Node's module compile cache (node:module enableCompileCache, Node 22.1+): V8's code cache of every module
// the CLI loads is kept on disk and reused by the next start, which then skips parsing and compiling them.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the cache lives: NODE_COMPILE_CACHE when set (Node then enables it itself, before this runs),
 * else compile-cache/ in Foundation's cache (FOUNDATION_CACHE, default ~/.cache/foundation). Pure.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  return (
    env.NODE_COMPILE_CACHE ??
    join(env.FOUNDATION_CACHE ?? join(home, '.cache', 'foundation'), 'compile-cache')
  );
}

/**
 * Turns the cache on for this process. A cache that cannot be used (a read-only home) only costs the
 * speed-up: Node reports that in the result and never throws; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
export function startCompileCache(env: NodeJS.ProcessEnv): void {
  enableCompileCache(compileCacheDir(env, homedir()));
}
