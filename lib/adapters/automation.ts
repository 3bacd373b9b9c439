import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { INSTALL_PATHS, SHELLS } from '../automation/completion.js';
import { FoundationError } from '../errors.js';
import { makeFolder } from './folder.js';
import type { Automation, CompletionShell, InstalledCompletion } from '../ports/automation.js';

/**
 * The user's home folder: HOME when it is an absolute path; an empty or relative one (which would put the
 * files under the current folder) gives the user database's. Pure. (os.homedir() returns HOME as it is.)
 */
export const homeFolder = (home: string | undefined, fromUserDatabase: () => string): string =>
  home !== undefined && isAbsolute(home) ? home : fromUserDatabase();

/** The completion files under the user's HOME; the scripts themselves come from the CLI. */
export function createAutomation(completion: ((shell: CompletionShell) => string) | null): Automation {
  const home = (): string =>
    homeFolder(process.env.HOME, () => {
      try {
        return userInfo().homedir;
      } catch (error) {
        throw new FoundationError(
          'E_USAGE',
          `no home folder: HOME is ${process.env.HOME === undefined ? 'not set' : 'not an absolute path'} and this user has none in the user database (${error instanceof Error ? error.message : String(error)})`,
          'set HOME to your home folder, e.g. HOME=/home/you foundation completion install',
        );
      }
    });
  return {
    completion(shell) {
      if (completion === null)
        throw new FoundationError(
          'E_USAGE',
          'completion scripts are generated from the foundation CLI',
          `run: foundation completion ${shell}`,
        );
      return completion(shell);
    },
    async installedCompletions() {
      const found: InstalledCompletion[] = [];
      for (const shell of SHELLS) {
        const path = join(home(), INSTALL_PATHS[shell].path);
        const content = await readFile(path, 'utf8').catch(() => null);
        if (content !== null) found.push({ shell, path, content });
      }
      return found;
    },
    async writeCompletion(shell, content) {
      const path = join(home(), INSTALL_PATHS[shell].path);
      makeFolder(dirname(path), `where ${shell} loads completions from`);
      await writeFile(path, content);
      return path;
    },
  };
}
