// One writer at a time for a folder several test processes build into (npm ci in one folder twice at once
// pulls files away from each other): a lock folder holding its owner's pid; a dead owner's lock is taken over.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../../scripts/test-servers/manager.js';

export function withDirLock(dir: string, fn: () => void): void {
  const lock = `${dir}.lock`;
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const owner = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : '0');
      if (owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true }); // its owner died
      if (i > 3_000) throw new Error(`${lock} held for 10 minutes: remove it if no test runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
