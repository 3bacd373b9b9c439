#!/usr/bin/env node
// The CLI's entry (the bin, scripts/foundation.ts, and scripts/bootstrap foundation … come here): Node's
// module compile cache first, so that the composition root and everything it imports compile from the
// cache on every later start; then the composition root, scripts/cli-main.ts.
import { startCompileCache } from './compile-cache.js';

startCompileCache(process.env);
await import('./cli-main.js');
