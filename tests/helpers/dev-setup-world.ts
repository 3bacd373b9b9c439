// Task 0-1's fake world: every tool present, a .env with its secret set, hooks installed — each changeable.
import type { HookState, ToolProbe } from '../../lib/ports/dev.js';
import { fakeContext, fakeSecrets } from './fixtures.js';
import { ALL_TOOLS, fakeGit, fakeTools } from './fake-ports.js';

export const EXAMPLE = 'FOUNDATION_TARGET=k3d\n\n# Secret.\nGRAFANA_ADMIN_PASSWORD=\n';

/** The tool probes with some changed: `{ docker: null }` = not found; others replace that tool's probe. */
export function probes(changes: Record<string, Partial<ToolProbe> | null> = {}): ToolProbe[] {
  return ALL_TOOLS.map((p) => {
    const change = changes[p.name];
    if (change === null) return { name: p.name, found: false, version: null };
    return { ...p, ...change };
  });
}

export function world(
  opts: {
    tools?: ToolProbe[];
    files?: Record<string, string>;
    os?: 'darwin' | 'linux';
    hooks?: HookState;
  } = {},
) {
  const fileMap = new Map(
    Object.entries({
      '.env.example': EXAMPLE,
      '.env': 'FOUNDATION_TARGET=k3d\nGRAFANA_ADMIN_PASSWORD=already-set-secret-value-1234\n',
      ...opts.files,
    }),
  );
  const git = fakeGit({ hooks: opts.hooks ?? 'installed' });
  const ctx = fakeContext({
    fileMap,
    tools: fakeTools(opts.tools ?? probes()),
    git,
    platform: {
      os: opts.os ?? 'linux',
      arch: 'x64',
      workspace: '/ws',
      packageRoot: '/pkg',
      nodeVersion: '24.21.0',
    },
    secrets: fakeSecrets(fileMap, {}, 'GENERATED-strong-secret-0123456789abcdef'),
  });
  return { ctx, git, fileMap };
}
