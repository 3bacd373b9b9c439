// Where the .proto files are, and how they are loaded. The generated TypeScript types in ./generated/
// describe what proto-loader returns with LOADER_OPTIONS, so the two must agree: GENERATE_ARGS is the one
// command line both the regeneration in docs/grpc.md and the test that fails on stale types use.
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { load, type Options } from '@grpc/proto-loader';
import type { ProtoGrpcType as HealthProto } from './generated/health.js';
import type { ProtoGrpcType as ItemsProto } from './generated/items.js';

/**
 * The service's proto/ folder: from dist/src/kit/grpc/ four levels up, in the service folder and in its
 * image alike (the Dockerfile copies proto/ next to dist/).
 */
export const PROTO_DIR = fileURLToPath(new URL('../../../../proto/', import.meta.url));

/** The .proto files with generated types, relative to PROTO_DIR. Add yours here. */
export const PROTO_FILES = ['items/v1/items.proto', 'grpc/health/v1/health.proto'] as const;

/** Field names in camelCase, 64-bit integers and enums as strings, defaults filled in, oneofs named. */
export const LOADER_OPTIONS: Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** proto-loader-gen-types' arguments matching LOADER_OPTIONS (run from the service folder). */
export const GENERATE_ARGS = [
  '--longs=String',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.js',
  '-I',
  'proto',
] as const;

async function loadProto<T>(file: string): Promise<T> {
  // The generated ProtoGrpcType describes exactly this object (same file, same options).
  return loadPackageDefinition(await load(file, LOADER_OPTIONS)) as unknown as T;
}

/** The example service's package (items.v1): `(await loadItemsProto()).items.v1.ItemService`. */
export function loadItemsProto(): Promise<ItemsProto> {
  return loadProto<ItemsProto>('items/v1/items.proto');
}

/** The standard health service's package (grpc.health.v1). */
export function loadHealthProto(): Promise<HealthProto> {
  return loadProto<HealthProto>('grpc/health/v1/health.proto');
}
