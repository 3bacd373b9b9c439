// An in-memory items.v1.ItemService for the tests and the bench, written as a service would write it.
import { once } from 'node:events';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { AppError } from '../../../src/errors.js';
import { unary } from '../../../src/kit/grpc/index.js';
import type { GetItemRequest__Output } from '../../../src/kit/grpc/generated/items/v1/GetItemRequest.js';
import type { Item } from '../../../src/kit/grpc/generated/items/v1/Item.js';
import type { ItemServiceHandlers } from '../../../src/kit/grpc/generated/items/v1/ItemService.js';

export type OnGet = (call: ServerUnaryCall<GetItemRequest__Output, Item>) => void;

/**
 * Get `slow` answers only once the caller has gone (deadline tests, no timer); Get `boom` throws a plain
 * Error whose message must not reach the caller. `onGet` sees each Get call (spans, claims).
 */
export function itemsService(onGet: OnGet = () => undefined): ItemServiceHandlers {
  const items = new Map<string, Item>([['1', { id: '1', name: 'kettle', quantity: 3 }]]);
  return {
    Get: unary(async (request, call) => {
      onGet(call);
      if (request.id === 'slow') {
        await once(call, 'cancelled');
        throw new AppError('TIMEOUT', 'gave up');
      }
      if (request.id === 'boom') throw new Error('database password=hunter2 in a message');
      const item = items.get(request.id);
      if (item === undefined) throw new AppError('NOT_FOUND', `no item ${request.id}`);
      return item;
    }),
    Create: unary(async (request) => {
      if (request.name === '') throw new AppError('VALIDATION', 'name must not be empty');
      if ([...items.values()].some((i) => i.name === request.name)) {
        throw new AppError('CONFLICT', `an item named ${request.name} exists`);
      }
      const item = { id: String(items.size + 1), name: request.name, quantity: request.quantity };
      items.set(item.id, item);
      return item;
    }),
  };
}
