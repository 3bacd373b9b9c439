// Original file: proto/items/v1/items.proto


export interface GetItemRequest {
  'id'?: (string);
}

export interface GetItemRequest__Output {
  'id': (string);
}
