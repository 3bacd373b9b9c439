import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { FoundationError } from '../errors.js';
import type { ImageBuildOptions } from '../ports/containers.js';
import { legacyArgOf, legacyDockerfile } from './legacy-dockerfile.js';

/** Another base image, as the Dockerfile's NODE_IMAGE argument (both builders). */
const baseImage = (config: Config): Pick<ImageBuildOptions, 'buildArgs'> =>
  config.serviceBaseImage !== undefined ? { buildArgs: { NODE_IMAGE: config.serviceBaseImage } } : {};

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
    ...baseImage(config),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
  };
}

/**
 * The same for the legacy builder (SERVICE_BUILDER=legacy), from the texts of the service's Dockerfile and
 * of SERVICE_BUILD_CA (null: unset): the Dockerfile without its secret mounts, the CA as a build argument.
 * An .npmrc is refused: its token would be in a build argument, kept in the image history. Pure.
 */
export function legacyBuildOptions(config: Config, dockerfile: string, ca: string | null): ImageBuildOptions {
  if (config.serviceBuildNpmrc !== undefined)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      'SERVICE_BUILD_NPMRC is set, but the legacy builder (SERVICE_BUILDER=legacy) cannot mount it as a secret',
      'use BuildKit (SERVICE_BUILDER=buildkit: Docker 23+ with its buildx plugin, or Docker 20.10), or leave SERVICE_BUILD_NPMRC empty',
    );
  const envArgs = ca === null ? {} : { [legacyArgOf('ca')]: ca };
  return {
    ...baseImage(config),
    legacy: { dockerfile: legacyDockerfile(dockerfile, new Set(ca === null ? [] : ['ca'])), envArgs },
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
