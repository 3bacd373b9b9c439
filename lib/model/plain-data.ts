// Narrowing parsed YAML or JSON (`unknown`) to what a reader expects, without casts at every step: an
// object's fields, a list's items, the strings of a list. Anything else reads as absent. Pure.

export type PlainRecord = Record<string, unknown>;

/** `v` when it is an object (not a list, not null); undefined otherwise. */
export const asRecord = (v: unknown): PlainRecord | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PlainRecord) : undefined;

/** `v` when it is a list; [] otherwise. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

/** The strings of the list `v` (other items left out); [] when it is no list. */
export const asStrings = (v: unknown): string[] =>
  asList(v).filter((s): s is string => typeof s === 'string');
