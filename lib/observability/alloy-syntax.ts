// A small reader of Alloy's configuration syntax (blocks, attributes): enough to check the pipeline a
// values file promises, and to carry stages from the Kubernetes pipeline into the Compose one. Pure.
/** A body of Alloy's configuration syntax: its attributes (their values' text) and its blocks, in order. */
export interface AlloyBody {
  readonly attrs: Readonly<Record<string, string>>;
  readonly blocks: readonly AlloyBlock[];
}
/** `name "label" { … }` */
export interface AlloyBlock extends AlloyBody {
  readonly name: string;
  readonly label: string | null;
  /** The block's source text, from its name to its closing brace. */
  readonly text: string;
}

const endOfLine = (text: string, i: number) =>
  text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
function pastString(text: string, i: number): number {
  for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
  return i + 1;
}
/** Past the bracket opened at `open` (`{` or `[`), skipping strings and `//` comments. */
function pastBrackets(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length;) {
    const ch = text[i];
    if (ch === '"') i = pastString(text, i);
    else if (text.startsWith('//', i)) i = endOfLine(text, i);
    else {
      if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && --depth === 0) return i + 1;
      i++;
    }
  }
  throw new Error(`unbalanced "${text[open] ?? ''}" at offset ${open}`);
}

/** Alloy's configuration syntax, read far enough to see its structure (no expression is evaluated). */
export function parseAlloy(text: string): AlloyBody {
  const attrs: Record<string, string> = {};
  const blocks: AlloyBlock[] = [];
  const block = /([A-Za-z_][\w.]*)\s*(?:"([^"]*)"\s*)?\{/y;
  const attr = /([A-Za-z_]\w*)\s*=\s*/y;
  for (let i = 0; i < text.length;) {
    block.lastIndex = attr.lastIndex = i;
    const blank = /\s/.test(text[i] ?? '') || text.startsWith('//', i);
    const b = blank ? null : block.exec(text);
    const a = blank || b !== null ? null : attr.exec(text);
    if (blank) i = text[i] === '/' ? endOfLine(text, i) : i + 1;
    else if (b !== null) {
      const end = pastBrackets(text, block.lastIndex - 1);
      blocks.push({
        name: b[1] ?? '',
        label: b[2] ?? null,
        text: text.slice(i, end),
        ...parseAlloy(text.slice(block.lastIndex, end - 1)),
      });
      i = end;
    } else if (a !== null) {
      let j = attr.lastIndex;
      while (j < text.length && text[j] !== '\n' && !text.startsWith('//', j))
        j =
          text[j] === '{' || text[j] === '['
            ? pastBrackets(text, j)
            : text[j] === '"'
              ? pastString(text, j)
              : j + 1;
      attrs[a[1] ?? ''] = text.slice(attr.lastIndex, j).trim();
      i = j;
    } else throw new Error(`not Alloy syntax at: ${text.slice(i, i + 40)}`);
  }
  return { attrs, blocks };
}

/** An attribute's string value. */
export const alloyString = (raw: string | undefined): string | undefined =>
  raw?.startsWith('"') ? (JSON.parse(raw) as string) : undefined;
/** An attribute's object value, as its `key = "value"` pairs. */
export const alloyObject = (raw: string | undefined): Record<string, string> =>
  Object.fromEntries(
    [...(raw ?? '').matchAll(/([\w.]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g)].map((p): [string, string] => [
      p[1] ?? '',
      p[2] ?? '',
    ]),
  );
