import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/test-servers/install puts everything (FOUNDATION_CACHE overrides). */
export const CACHE = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
export const BIN = join(CACHE, 'bin');

/** Kafka's version is the one the install script resolved (its pom is the single source). */
export const KAFKA_VERSION = '4.3.1';
export const KAFKA_LIBS = join(CACHE, 'kafka', KAFKA_VERSION, 'libs');

/** The Kubernetes control plane's binaries (kube-apiserver, … , kwok and its Stage configs) and version. */
export const KUBE_VERSION = 'v1.35.4';
export const KUBE_BIN = join(CACHE, 'kube', KUBE_VERSION, 'bin');
/** Docker: our dockerd's images (kept between runs) and a client config with the Compose v2 plugin. */
export const DOCKER_DATA = join(CACHE, 'docker', 'data-root');
export const DOCKER_CONFIG = join(CACHE, 'docker', 'config');
/** The Debian root filesystem the tests' base images are imported from (no image can be pulled). */
export const DOCKER_BASE_ROOTFS = join(CACHE, 'docker', 'base', 'rootfs.tar');
/** PostgreSQL 17 (Maven Central's embedded-postgres-binaries; install-kit's POSTGRES_VERSION): bin/, lib/. */
export const POSTGRES_VERSION = '17.11.0';
export const POSTGRES_HOME = join(CACHE, 'postgres', POSTGRES_VERSION);
