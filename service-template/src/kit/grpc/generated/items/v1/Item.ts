// Original file: proto/items/v1/items.proto


export interface Item {
  'id'?: (string);
  'name'?: (string);
  /**
   * How many are in stock.
   */
  'quantity'?: (number);
}

export interface Item__Output {
  'id': (string);
  'name': (string);
  /**
   * How many are in stock.
   */
  'quantity': (number);
}
