import type { ToolProblem } from './evaluate.js';

/** A platform as release assets name it. */
export type Platform = 'darwin-arm64' | 'darwin-amd64' | 'linux-amd64' | 'linux-arm64';

/** One downloadable file of a release, with the SHA-256 it must have. */
export interface ReleaseAsset {
  readonly url: string;
  readonly sha256: string;
  /** A bare binary, or a .tar.gz holding it at `member`. */
  readonly kind: 'binary' | 'tar.gz';
  readonly member?: string;
}

/** A tool Foundation can install itself: its pinned release, per platform. */
export interface ToolRelease {
  /** The name in 0-1's prerequisites (`helm`, `k3d`…). */
  readonly name: string;
  readonly command: string;
  readonly version: string;
  readonly assets: Readonly<Partial<Record<Platform, ReleaseAsset>>>;
  /** Where the pins come from (the upstream checksums file they were copied from). */
  readonly source: string;
}

/** The platform key for Node's `process.platform` / `process.arch`; null where no release is pinned. */
export function platformOf(os: string, arch: string): Platform | null {
  const a = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : null;
  if (a === null || (os !== 'darwin' && os !== 'linux')) return null;
  return `${os}-${a}`;
}

/** What 0-1 installs (a pinned release exists for this platform) and what stays for the user. Pure. */
export function planInstalls(
  problems: readonly ToolProblem[],
  releases: readonly ToolRelease[],
  platform: Platform | null,
): { install: { release: ToolRelease; asset: ReleaseAsset }[]; byHand: ToolProblem[] } {
  const install: { release: ToolRelease; asset: ReleaseAsset }[] = [];
  const byHand: ToolProblem[] = [];
  for (const p of problems) {
    const release = releases.find((r) => r.name === p.name);
    const asset = platform === null ? undefined : release?.assets[platform];
    if (p.problem !== 'daemon not reachable' && release !== undefined && asset !== undefined)
      install.push({ release, asset });
    else byHand.push(p);
  }
  return { install, byHand };
}

/**
 * A URL with its origin replaced by a mirror's (the upstream host and path under the mirror's path), for
 * networks that cannot reach upstream. The mirror's query (`?token=…`) and credentials are kept, as given.
 * Pure.
 */
export function mirrored(url: string, mirror: string | undefined): string {
  if (mirror === undefined || mirror === '') return url;
  const u = new URL(url);
  const m = new URL(mirror);
  m.pathname = `${m.pathname.replace(/\/+$/, '')}/${u.host}${u.pathname}`;
  return m.href;
}
