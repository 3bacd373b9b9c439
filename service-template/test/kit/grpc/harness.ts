// The grpc part started on a loopback port with an in-memory log and registry, the example service
// added, and a kit client of it.
import { createLogger, createRegistry } from '../../../src/telemetry/index.js';
import { jsonLines } from '../../helpers.js';
import type { Registry } from '@prometheus-io/client';
import type { StartedPart } from '../../../src/kit/part.js';
import {
  grpcSettings,
  loadItemsProto,
  startGrpc,
  type GrpcHandle,
  type GrpcOptions,
  type KitClient,
} from '../../../src/kit/grpc/index.js';
import type { ItemServiceClient } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';
import { z } from 'zod';
import { itemsService, type OnGet } from './items-service.js';

export interface GrpcKit<Claims> {
  readonly part: StartedPart<GrpcHandle<Claims>>;
  readonly items: KitClient<ItemServiceClient>;
  readonly logs: Record<string, unknown>[];
  readonly registry: Registry;
  readonly target: string;
  close(): Promise<void>;
}

export async function startKit<Claims = never>(
  options: GrpcOptions<Claims> = {},
  env: Record<string, string> = {},
  onGet?: OnGet,
  /** Where its log lines go: give one to read them when the start fails. */
  logs: Record<string, unknown>[] = [],
): Promise<GrpcKit<Claims>> {
  const { destination } = jsonLines(logs);
  const settings = z.object(grpcSettings).parse({ GRPC_PORT: '0', GRPC_HOST: '127.0.0.1', ...env });
  const registry = createRegistry({ defaultMetrics: false });
  const logger = createLogger({ name: 'items', level: 'debug', destination });
  const part = await startGrpc(settings, { serviceName: 'items', logger, registry }, options);
  const proto = await loadItemsProto();
  part.handle.server.addService(proto.items.v1.ItemService.service, itemsService(onGet));
  const target = `127.0.0.1:${part.handle.server.port}`;
  const items = part.handle.client(proto.items.v1.ItemService, target);
  return { part, items, logs, registry, target, close: () => part.close() };
}
