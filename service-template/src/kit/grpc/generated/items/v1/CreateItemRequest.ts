// Original file: proto/items/v1/items.proto


export interface CreateItemRequest {
  'name'?: (string);
  'quantity'?: (number);
}

export interface CreateItemRequest__Output {
  'name': (string);
  'quantity': (number);
}
