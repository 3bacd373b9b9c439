import type { ReleaseSpec } from '../helm/releases-file.js';
import type { ToolProbe } from '../ports/dev.js';

/** The report's environment: Foundation, Node and OS, each tool's version, chart pins and Compose images. Pure. */
export function environmentOf(o: {
  readonly base: Readonly<Record<string, string>>;
  readonly tools: readonly ToolProbe[];
  readonly releases: readonly ReleaseSpec[];
  /** `image:` lines of the Compose files. */
  readonly images: readonly string[];
}): Record<string, string> {
  const tool = (t: ToolProbe) =>
    !t.found
      ? 'not found'
      : `${t.version ?? 'unreadable version'}${t.daemon !== undefined ? ` (engine ${t.daemon ?? 'not reachable'})` : ''}`;
  return {
    ...o.base,
    ...Object.fromEntries(o.tools.map((t) => [t.name, tool(t)])),
    charts: o.releases.map((r) => `${r.chart} ${r.version}`).join(', '),
    'compose images': o.images.join(', '),
  };
}

/** The images a Compose file names (`image: …` lines, variables left as they are). Pure. */
export const composeImages = (text: string): string[] =>
  [...text.matchAll(/^\s+image:\s*(\S+)\s*$/gm)].map((m) => m[1] ?? '').filter((i) => !i.includes('${'));
