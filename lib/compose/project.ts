import { dirname, isAbsolute, join } from 'node:path';
import { composeBuildEnv } from '../deploy/build-options.js';
import type { ComposeProject, TaskContext } from '../model/context.js';
import { readPackageFile } from '../model/package-files.js';
import { ENV_FILE, GENERATED_DIR, renderStack, type RenderedStack } from './render.js';
import { readStackSources } from './sources.js';

/** Secrets of .env the Compose files interpolate; the values reach Compose's environment, no file. */
export const COMPOSE_SECRETS = ['GRAFANA_ADMIN_PASSWORD', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD'] as const;

/** The compose target's project: its file, the rendered configuration, and where that is written. */
export interface PlatformProject {
  readonly project: ComposeProject;
  readonly rendered: RenderedStack;
  /** Absolute path of the generated folder beside the Compose file. */
  readonly generatedDir: string;
}

/** The Compose project's name (the file's `name:`), or null when the file cannot be read. */
export async function composeProjectName(ctx: TaskContext): Promise<string | null> {
  const text = await ctx.files.read(composeFilePath(ctx));
  const m = text === null ? null : /^name:\s*['"]?([a-z0-9][a-z0-9_-]*)['"]?\s*$/m.exec(text);
  return m?.[1] ?? null;
}

export const composeFilePath = (ctx: TaskContext): string =>
  isAbsolute(ctx.config.composeFile)
    ? ctx.config.composeFile
    : join(ctx.platform.packageRoot, ctx.config.composeFile);

/**
 * Render the platform's configuration and describe the project with it; the missing names instead when
 * .env lacks a secret the Compose files need. `stopOnly`: a project good enough to stop or inspect
 * (Compose interpolates the whole file even for `down`), with a placeholder for a missing secret.
 */
export async function platformProject(
  ctx: TaskContext,
  options: { stopOnly?: boolean } = {},
): Promise<PlatformProject | { missingSecrets: string[] }> {
  const secrets = { ...(await ctx.secrets.values()) };
  const missing = COMPOSE_SECRETS.filter((name) => secrets[name] === undefined);
  if (missing.length > 0 && options.stopOnly !== true) return { missingSecrets: missing };
  for (const name of missing) secrets[name] = 'unset-only-stopping';
  const rendered = renderStack(await readStackSources((path) => readPackageFile(ctx, path)));
  const file = composeFilePath(ctx);
  const generatedDir = join(dirname(file), GENERATED_DIR);
  const env = {
    ...rendered.env,
    ...Object.fromEntries(COMPOSE_SECRETS.map((n) => [n, secrets[n] ?? ''])),
    ...composeBuildEnv(ctx.config, ctx.platform.workspace),
  };
  return { project: { file, envFiles: [join(generatedDir, ENV_FILE)], env }, rendered, generatedDir };
}
