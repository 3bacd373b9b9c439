/**
 * Whether a folder can receive a generated service, decided from facts an adapter gathered. Pure.
 * Every unusable target is refused before anything is written.
 */
export interface MountPoint {
  readonly path: string;
  readonly fsType: string;
  readonly readOnly: boolean;
}

/** Kernel and device filesystems: writing a service there is never what anyone meant (and can hang). */
export const PSEUDO_FILESYSTEMS = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'devfs',
  'cgroup',
  'cgroup2',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'binfmt_misc',
  'efivarfs',
  'autofs',
  'nsfs',
  'rpc_pipefs',
  'selinuxfs',
]);

const unescape = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Linux /proc/self/mountinfo → mount points (fields: id parent dev root mountpoint options … - type src super). */
export function parseMountInfo(text: string): MountPoint[] {
  return text.split('\n').flatMap((line) => {
    const [left, right] = line.split(' - ');
    const fields = left?.split(' ') ?? [];
    const fsType = right?.split(' ')[0];
    if (fields.length < 6 || fsType === undefined) return [];
    return [
      { path: unescape(fields[4] ?? ''), fsType, readOnly: (fields[5] ?? '').split(',').includes('ro') },
    ];
  });
}

/** The mount a path lives on: the longest mount point that contains it. */
export function mountOf(path: string, mounts: readonly MountPoint[]): MountPoint | undefined {
  const inside = (m: MountPoint): boolean =>
    m.path === '/' || path === m.path || path.startsWith(`${m.path}/`);
  return mounts.filter(inside).sort((a, b) => b.path.length - a.path.length)[0];
}

/** What an adapter found at and above the target. */
export interface TargetFacts {
  /** What the target itself is. */
  readonly target: 'absent' | 'empty-dir' | 'non-empty-dir' | 'file' | 'other';
  /** The nearest existing folder at or above the target (symlinks resolved), or a non-folder in the way. */
  readonly ancestor: { readonly path: string; readonly isDir: boolean };
  /** Can this process create entries in that folder (no write, only permission and read-only checks)? */
  readonly writable: boolean | 'read-only-fs';
  readonly mount: MountPoint | undefined;
  /** The longest name in the path, in bytes (most filesystems allow 255). */
  readonly longestName: number;
  /** The whole path, in bytes (Linux allows 4095). */
  readonly pathBytes: number;
}

export type TargetVerdict =
  | { readonly ok: true; readonly empty: boolean }
  | { readonly ok: false; readonly exists: boolean; readonly reason: string; readonly fix: string };

const ANOTHER = 'choose another --dir (default: services/<name> in the workspace)';

/**
 * Why the folder at or above a target is no place to write files, or null: it is on a kernel or device
 * filesystem (/proc, /sys, /dev but /dev/shm, or a mount of such a type). Pure.
 */
export function kernelFilesystem(facts: Pick<TargetFacts, 'ancestor' | 'mount'>): string | null {
  const fs = facts.mount?.fsType;
  const kernelPath =
    /^\/(proc|sys|dev)(\/|$)/.test(facts.ancestor.path) && !/^\/dev\/shm(\/|$)/.test(facts.ancestor.path);
  if (!facts.ancestor.isDir || !((fs !== undefined && PSEUDO_FILESYSTEMS.has(fs)) || kernelPath)) return null;
  return `${facts.ancestor.path} is on a kernel or device filesystem${fs ? ` (${fs})` : ''}`;
}

/** Decide from the facts; `shown` is how the target is named to the user. */
export function judgeTarget(shown: string, facts: TargetFacts): TargetVerdict {
  const refuse = (reason: string, fix = ANOTHER, exists = false): TargetVerdict => ({
    ok: false,
    exists,
    reason: `${shown}: ${reason}; nothing was written`,
    fix,
  });
  if (facts.longestName > 255) return refuse('a name in the path is longer than 255 bytes');
  if (facts.pathBytes > 3_800) return refuse('the path is too long for the files inside it');
  if (facts.target === 'file') return refuse('is a file, not a folder');
  if (facts.target === 'other') return refuse('is a device, socket or pipe, not a folder');
  const kernel = kernelFilesystem(facts);
  if (kernel !== null) return refuse(kernel);
  if (facts.target === 'non-empty-dir')
    return refuse('already exists and is not empty', `${ANOTHER}, or remove that folder first`, true);
  if (!facts.ancestor.isDir)
    return refuse(`${facts.ancestor.path} is not a folder, so no folder can be made inside it`);
  if (facts.writable === 'read-only-fs' || facts.mount?.readOnly === true)
    return refuse(`${facts.ancestor.path} is on a read-only filesystem`);
  if (!facts.writable)
    return refuse(
      `you cannot write to ${facts.ancestor.path}`,
      `${ANOTHER}, or give yourself write access to ${facts.ancestor.path}`,
    );
  return { ok: true, empty: facts.target === 'empty-dir' };
}
