// Services generated with kit parts, built in temporary folders the way a user gets them: rendered by the
// generator, `npm ci` from the pruned lock (once per lock: node_modules is kept between runs), `npm run
// build`. One build at a time per folder across test processes.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { generateService } from '../../lib/commands/new-service.js';
import type { TemplateFile } from '../../lib/generator/render.js';
import { ROOT } from '../helpers/cli.js';
import { withDirLock } from '../helpers/dir-lock.js';

export const KIT_SERVICE = 'kit-probe';

export function kitFiles(parts: readonly string[]): TemplateFile[] {
  return generateService(readTemplate(ROOT), KIT_SERVICE, 'A service with kit parts, for tests', parts);
}

function writeFresh(dir: string, files: readonly TemplateFile[], keep: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir))
    if (!keep.includes(name)) rmSync(join(dir, name), { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

const npm = (dir: string, args: string[]): void => {
  execFileSync('npm', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60_000 });
};

/** Generate, install (when the lock changed) and build a service with these parts; its folder. */
export function buildKitService(parts: readonly string[]): string {
  const files = kitFiles(parts);
  const lock = files.find((f) => f.path === 'package-lock.json')?.content ?? '';
  const hash = createHash('sha256').update(parts.join(',')).update(lock).digest('hex').slice(0, 12);
  const dir = join(process.env.FOUNDATION_TEST_BUILDS ?? tmpdir(), `foundation-kit-${hash}`);
  withDirLock(dir, () => {
    writeFresh(dir, files, ['node_modules']);
    const stamp = join(dir, 'node_modules', '.foundation-stamp');
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
      npm(dir, ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
      writeFileSync(stamp, lock);
    }
    npm(dir, ['run', 'build', '--silent']);
  });
  return dir;
}

/**
 * Type-check a service with these parts against another build's node_modules (a superset): shows the kit
 * blocks leave valid code for every choice without an install per choice. Throws tsc's output.
 */
export function typecheckWith(parts: readonly string[], installed: string): void {
  const dir = join(tmpdir(), `foundation-kit-check-${parts.join('-') || 'none'}-${process.pid}`);
  try {
    writeFresh(dir, kitFiles(parts), []);
    symlinkSync(join(installed, 'node_modules'), join(dir, 'node_modules'));
    const tsc = join(installed, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', '.', '--noEmit'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    if (run.status !== 0)
      throw new Error(`--with ${parts.join(',') || '(none)'} does not compile:\n${run.stdout}${run.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
