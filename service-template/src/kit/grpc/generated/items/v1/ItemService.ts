// Original file: proto/items/v1/items.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateItemRequest as _items_v1_CreateItemRequest, CreateItemRequest__Output as _items_v1_CreateItemRequest__Output } from '../../items/v1/CreateItemRequest.js';
import type { GetItemRequest as _items_v1_GetItemRequest, GetItemRequest__Output as _items_v1_GetItemRequest__Output } from '../../items/v1/GetItemRequest.js';
import type { Item as _items_v1_Item, Item__Output as _items_v1_Item__Output } from '../../items/v1/Item.js';

/**
 * Items by id: a small catalogue to show unary calls, errors and deadlines.
 */
export interface ItemServiceClient extends grpc.Client {
  /**
   * A new item; INVALID_ARGUMENT for an empty name, ALREADY_EXISTS when the name is taken.
   */
  Create(argument: _items_v1_CreateItemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Create(argument: _items_v1_CreateItemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Create(argument: _items_v1_CreateItemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Create(argument: _items_v1_CreateItemRequest, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  /**
   * A new item; INVALID_ARGUMENT for an empty name, ALREADY_EXISTS when the name is taken.
   */
  create(argument: _items_v1_CreateItemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  create(argument: _items_v1_CreateItemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  create(argument: _items_v1_CreateItemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  create(argument: _items_v1_CreateItemRequest, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  
  /**
   * The item with this id; NOT_FOUND when there is none.
   */
  Get(argument: _items_v1_GetItemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Get(argument: _items_v1_GetItemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Get(argument: _items_v1_GetItemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  Get(argument: _items_v1_GetItemRequest, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  /**
   * The item with this id; NOT_FOUND when there is none.
   */
  get(argument: _items_v1_GetItemRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  get(argument: _items_v1_GetItemRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  get(argument: _items_v1_GetItemRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  get(argument: _items_v1_GetItemRequest, callback: grpc.requestCallback<_items_v1_Item__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Items by id: a small catalogue to show unary calls, errors and deadlines.
 */
export interface ItemServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A new item; INVALID_ARGUMENT for an empty name, ALREADY_EXISTS when the name is taken.
   */
  Create: grpc.handleUnaryCall<_items_v1_CreateItemRequest__Output, _items_v1_Item>;
  
  /**
   * The item with this id; NOT_FOUND when there is none.
   */
  Get: grpc.handleUnaryCall<_items_v1_GetItemRequest__Output, _items_v1_Item>;
  
}

export interface ItemServiceDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_items_v1_CreateItemRequest, _items_v1_Item, _items_v1_CreateItemRequest__Output, _items_v1_Item__Output>
  Get: MethodDefinition<_items_v1_GetItemRequest, _items_v1_Item, _items_v1_GetItemRequest__Output, _items_v1_Item__Output>
}
