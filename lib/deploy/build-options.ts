import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ImageBuildOptions } from '../ports/containers.js';

/**
 * What a service image build gets from the configuration (SERVICE_BASE_IMAGE, SERVICE_BUILD_NPMRC,
 * SERVICE_BUILD_CA; file paths relative to the workspace): the base image as the Dockerfile's NODE_IMAGE argument, an .npmrc and a CA bundle as
 * the BuildKit secrets `npmrc` and `ca` the template's Dockerfile mounts for `npm ci`. Unset: the
 * Dockerfile's pinned base and no secrets. Pure.
 */
export function imageBuildOptions(config: Config, workspace: string): ImageBuildOptions {
  const secrets: Record<string, string> = {};
  if (config.serviceBuildNpmrc !== undefined) secrets.npmrc = resolve(workspace, config.serviceBuildNpmrc);
  if (config.serviceBuildCa !== undefined) secrets.ca = resolve(workspace, config.serviceBuildCa);
  return {
    ...(config.serviceBaseImage !== undefined ? { buildArgs: { NODE_IMAGE: config.serviceBaseImage } } : {}),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
  };
}

/** The same for Compose, which reads them from its environment (compose/docker-compose.yml). Pure. */
export function composeBuildEnv(config: Config, workspace: string): Record<string, string> {
  const { buildArgs, secrets } = imageBuildOptions(config, workspace);
  return {
    ...(buildArgs?.NODE_IMAGE !== undefined ? { NODE_IMAGE: buildArgs.NODE_IMAGE } : {}),
    ...(secrets?.npmrc !== undefined ? { SERVICE_BUILD_NPMRC: secrets.npmrc } : {}),
    ...(secrets?.ca !== undefined ? { SERVICE_BUILD_CA: secrets.ca } : {}),
  };
}
