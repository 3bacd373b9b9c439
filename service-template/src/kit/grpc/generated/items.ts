import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateItemRequest as _items_v1_CreateItemRequest, CreateItemRequest__Output as _items_v1_CreateItemRequest__Output } from './items/v1/CreateItemRequest.js';
import type { GetItemRequest as _items_v1_GetItemRequest, GetItemRequest__Output as _items_v1_GetItemRequest__Output } from './items/v1/GetItemRequest.js';
import type { Item as _items_v1_Item, Item__Output as _items_v1_Item__Output } from './items/v1/Item.js';
import type { ItemServiceClient as _items_v1_ItemServiceClient, ItemServiceDefinition as _items_v1_ItemServiceDefinition } from './items/v1/ItemService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  items: {
    v1: {
      CreateItemRequest: MessageTypeDefinition<_items_v1_CreateItemRequest, _items_v1_CreateItemRequest__Output>
      GetItemRequest: MessageTypeDefinition<_items_v1_GetItemRequest, _items_v1_GetItemRequest__Output>
      Item: MessageTypeDefinition<_items_v1_Item, _items_v1_Item__Output>
      /**
       * Items by id: a small catalogue to show unary calls, errors and deadlines.
       */
      ItemService: SubtypeConstructor<typeof grpc.Client, _items_v1_ItemServiceClient> & { service: _items_v1_ItemServiceDefinition }
    }
  }
}

