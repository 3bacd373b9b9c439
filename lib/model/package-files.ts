import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import type { Files, Platform } from '../ports/host.js';

/**
 * A file Foundation ships (manifests, values, the topics file): read from its package. A missing one
 * is a broken install, not a task failing (E_INSTALL_BROKEN, exit 2).
 */
export async function readPackageFile(
  ctx: { files: Files; platform: Platform },
  path: string,
): Promise<string> {
  const text = await ctx.files.read(join(ctx.platform.packageRoot, path));
  if (text === null)
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      `${path} is missing from the Foundation package (${ctx.platform.packageRoot})`,
      `reinstall Foundation (in its repository: git checkout ${path})`,
    );
  return text;
}
