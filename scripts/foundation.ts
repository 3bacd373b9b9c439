#!/usr/bin/env node
// The `foundation` command (package.json "bin"): checks the Node version before loading the CLI, whose
// modules need Node 22.22 or newer (@platformatic/kafka, the Kafka client, does) — on an older Node a clear
// error with the fix, not a SyntaxError or a failing broker call.
import { FoundationError, formatError } from '../lib/errors.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 22)) await import('./cli.js');
else {
  const e = new FoundationError(
    'E_TOOL_BROKEN',
    `Node ${process.versions.node} is too old for Foundation (22.22 or newer; 24 LTS recommended)`,
    'run it as scripts/bootstrap foundation …, which installs the pinned Node; or install Node 24 (macOS: brew install node@24)',
  );
  process.stderr.write(`foundation: ${formatError(e.toInfo())}\n`);
  process.exitCode = e.exitCode;
}
