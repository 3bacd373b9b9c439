#!/usr/bin/env node
// The CLI's entry (the bin, scripts/foundation.ts, and `scripts/bootstrap foundation …` come here). First
// Node's module compile cache (node:module, Node 22.8+): V8's code for every module the CLI loads is kept
// on disk and reused by the next start. Node's own directory, os.tmpdir()/node-compile-cache, or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off. A cache that cannot be written costs only
// the speed-up: Node never throws here. Then the composition root, which it now covers.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./cli-main.js');
