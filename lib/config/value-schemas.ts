import * as v from 'valibot';
import { parseBrokers } from './brokers.js';

/** The schema of one configuration variable: it reads the variable's text (valibot 1.5). */
export type ValueSchema = v.GenericSchema<string, unknown>;

/** A whole number from `min` to `max`, read from the text as `Number(text)` reads it (" 4 ", "0x10", "1e1"). */
export function wholeNumber(min: number, max: number): ValueSchema {
  return v.pipe(
    v.string(),
    v.transform(Number),
    v.number(), // not NaN
    v.integer(), // nor a fraction or Infinity
    v.minValue(min),
    v.maxValue(max),
  );
}

const TAB_OR_NEWLINE = /[\t\n\r]/g;

/** Whether `text` is a URL written `<scheme>://…` with one of `schemes`, that the WHATWG URL parser takes. */
function isUrlOf(text: string, schemes: readonly string[]): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  return scheme !== undefined && schemes.includes(scheme) && URL.canParse(text);
}

/**
 * An absolute URL with one of `schemes`, written with "://". Surrounding white space is dropped, and so are
 * tabs and line breaks inside (the URL parser ignores them, so they would only hide what the value says).
 */
export function urlOf(...schemes: readonly string[]): ValueSchema {
  return v.pipe(
    v.string(),
    v.transform((text) => text.trim()),
    v.check((text) => isUrlOf(text, schemes)),
    v.transform((text) => text.replace(TAB_OR_NEWLINE, '')),
  );
}

/**
 * A broker list (lib/config/brokers.ts) as an array of host:port. Its problems are this project's own
 * messages, which quote nothing of the value: they are the issues of type `raw_transform`.
 */
export const brokerList: ValueSchema = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const parsed = parseBrokers(dataset.value);
    if (parsed.ok) return [...parsed.brokers];
    for (const message of parsed.problems) addIssue({ message });
    return NEVER;
  }),
);
