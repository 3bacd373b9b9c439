// Services generated with kit parts, in temporary folders the way a user gets them: rendered by the
// generator, `npm ci` from the pruned lock (once per lock: node_modules is kept between runs), and `npm run
// build` when asked. One install or build at a time per folder across test processes.
import { execFileSync } from 'node:child_process';
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
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type * as TS from 'typescript';
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

/** Generate and install (when the lock changed) a service with these parts, unbuilt; its folder. */
export function installKitService(parts: readonly string[]): string {
  return kitService(parts, false);
}

/** Generate, install (when the lock changed) and build a service with these parts; its folder. */
export function buildKitService(parts: readonly string[]): string {
  return kitService(parts, true);
}

function kitService(parts: readonly string[], build: boolean): string {
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
    if (build) npm(dir, ['run', 'build', '--silent']);
  });
  return dir;
}

/**
 * Type-check services with each of these choices of parts against another service's node_modules (a
 * superset): shows the kit blocks leave valid code for every choice without an install per choice. One
 * TypeScript (that service's own) checks them all in this process, so the declaration files every choice
 * reads (the standard library, @types/node, the dependencies') are parsed once, not once per choice as
 * separate tsc runs would. Throws every failing choice's diagnostics.
 */
export function typecheckEach(choices: readonly (readonly string[])[], installed: string): void {
  const ts = createRequire(join(installed, 'package.json'))('typescript') as typeof TS;
  const shared = new Map<string, TS.SourceFile>();
  const failures: string[] = [];
  for (const parts of choices) {
    const name = parts.join(',') || '(none)';
    const dir = join(tmpdir(), `foundation-kit-check-${parts.join('-') || 'none'}-${process.pid}`);
    try {
      writeFresh(dir, kitFiles(parts), []);
      symlinkSync(join(installed, 'node_modules'), join(dir, 'node_modules'));
      const config = ts.getParsedCommandLineOfConfigFile(
        join(dir, 'tsconfig.json'),
        { noEmit: true },
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(`--with ${name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
          },
        },
      );
      if (config === undefined) throw new Error(`--with ${name}: tsconfig.json could not be read`);
      const host = ts.createCompilerHost(config.options);
      const read = host.getSourceFile.bind(host);
      // Same options in every choice, and node_modules resolves to the one real folder: a file there is
      // the same source file in each program.
      host.getSourceFile = (file, language, onError, fresh) => {
        if (!file.includes(`${sep}node_modules${sep}`)) return read(file, language, onError, fresh);
        const known = shared.get(file);
        if (known !== undefined) return known;
        const parsed = read(file, language, onError, fresh);
        if (parsed !== undefined) shared.set(file, parsed);
        return parsed;
      };
      const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
      const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
      // Paths in the messages relative to the service folder, as its own tsc would print them.
      const relativeTo = { ...host, getCurrentDirectory: () => dir };
      if (diagnostics.length > 0)
        failures.push(`--with ${name} does not compile:\n${ts.formatDiagnostics(diagnostics, relativeTo)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
