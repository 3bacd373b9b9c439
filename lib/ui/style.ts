import { styleText } from 'node:util';
import { truthy } from '../config/flags.js';

/** The styles Foundation uses, by meaning; how each looks is decided here only. */
export type Style = 'good' | 'changed' | 'bad' | 'warn' | 'dim' | 'heading';

const LOOK: Readonly<Record<Style, Parameters<typeof styleText>[0]>> = {
  good: 'green',
  changed: 'cyan',
  bad: 'red',
  warn: 'yellow',
  dim: 'dim',
  heading: 'bold',
};

/** Colours on or off, and the one function that applies a style. */
export interface Styler {
  readonly enabled: boolean;
  (style: Style, text: string): string;
}

/** Text as it is, for every output that is not a colour terminal. */
export const PLAIN: Styler = Object.assign((_: Style, text: string) => text, { enabled: false });

/** A styler: Node's util.styleText when enabled (the decision is the caller's: see colourWanted). */
export function createStyler(enabled: boolean): Styler {
  if (!enabled) return PLAIN;
  return Object.assign(
    (style: Style, text: string) => styleText(LOOK[style], text, { validateStream: false }),
    {
      enabled: true,
    },
  );
}

/**
 * Colours only on a terminal, never under NO_COLOR (any non-empty value, no-color.org), TERM=dumb, CI,
 * or --json. Pure: the facts come from the composition root.
 */
export function colourWanted(facts: {
  readonly isTTY: boolean;
  readonly json: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}): boolean {
  const set = (name: string): boolean => (facts.env[name] ?? '') !== '';
  if (facts.json || !facts.isTTY || set('NO_COLOR') || facts.env.TERM === 'dumb') return false;
  return !truthy(facts.env.CI);
}
