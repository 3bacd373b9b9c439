import { dirname, join, normalize } from 'node:path';

/** Markdown without its fenced code blocks (their lines are not headings or links). */
const unfenced = (md: string): string => md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
/** …and without inline code (a link shown as code is an example, not a link). */
const prose = (md: string): string => unfenced(md).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. Pure. */
export const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors a document's headings give (a repeated heading gets -1, -2 … as GitHub does). Pure. */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of unfenced(md).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = slug(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** A relative link of a document: the file it points at (from the repository root) and its anchor. */
export interface DocLink {
  readonly text: string;
  readonly file: string;
  readonly anchor: string | null;
}

/** The relative links of a document at `path` (web, mail and code examples left out). Pure. */
export function relativeLinks(md: string, path: string): DocLink[] {
  const out: DocLink[] = [];
  for (const m of prose(md).matchAll(/\[([^\]]*)\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    const target = m[2] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [file = '', anchor] = target.split('#');
    out.push({
      text: m[1] ?? '',
      file: file === '' ? path : normalize(join(dirname(path), decodeURIComponent(file))),
      anchor: anchor === undefined || anchor === '' ? null : anchor,
    });
  }
  return out;
}
