/**
 * Keep package.json and package-lock.json (lockfile v2/v3) in step when a service drops some of the
 * template's dependencies: the lock keeps exactly the packages still reachable from the service's own
 * dependencies, so `npm ci` installs what the service uses and nothing else. Pure.
 */
interface LockEntry {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
  [key: string]: unknown;
}

type Manifest = Record<string, unknown> & {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const without = (
  deps: Record<string, string> | undefined,
  drop: ReadonlySet<string>,
): Record<string, string> | undefined =>
  deps === undefined ? undefined : Object.fromEntries(Object.entries(deps).filter(([n]) => !drop.has(n)));

/** package.json without the dropped dependencies (npm's own layout: two spaces, final newline). */
export function prunePackageJson(text: string, drop: ReadonlySet<string>): string {
  const pkg = JSON.parse(text) as Manifest;
  const out: Manifest = { ...pkg };
  if (pkg.dependencies) out.dependencies = without(pkg.dependencies, drop) ?? {};
  if (pkg.devDependencies) out.devDependencies = without(pkg.devDependencies, drop) ?? {};
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Where node finds `name` from the package installed at `from` (nearest node_modules upwards). */
function resolve(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let at = from;
  for (;;) {
    const candidate = `${at === '' ? '' : `${at}/`}node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (at === '') return null;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut === -1 ? '' : at.slice(0, cut);
  }
}

function reach(packages: Record<string, LockEntry>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.flatMap((name) => resolve(packages, '', name) ?? []);
  while (queue.length > 0) {
    const at = queue.pop() ?? '';
    if (seen.has(at)) continue;
    seen.add(at);
    const e = packages[at] ?? {};
    for (const name of Object.keys({ ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies })) {
      const found = resolve(packages, at, name);
      if (found !== null && !seen.has(found)) queue.push(found);
    }
  }
  return seen;
}

/** The lock with the dropped dependencies gone from the root and every package no longer reachable. */
export function pruneLockfile(text: string, drop: ReadonlySet<string>): string {
  const lock = JSON.parse(text) as Lockfile;
  const packages = lock.packages;
  if (packages === undefined || (lock.lockfileVersion ?? 0) < 2)
    throw new Error('package-lock.json must be lockfileVersion 2 or 3 (npm 7 or later)');
  const root: LockEntry = { ...(packages[''] ?? {}) };
  for (const key of ['dependencies', 'devDependencies', 'optionalDependencies'] as const)
    if (root[key]) root[key] = without(root[key], drop) ?? {};
  const all = { ...packages, '': root };
  const prod = reach(all, Object.keys({ ...root.dependencies, ...root.optionalDependencies }));
  const any = reach(
    all,
    Object.keys({ ...root.dependencies, ...root.optionalDependencies, ...root.devDependencies }),
  );
  const kept: Record<string, LockEntry> = {};
  for (const [at, entry] of Object.entries(all)) {
    if (at === '') kept[at] = root;
    else if (any.has(at)) {
      // Needed now only by development tools: npm ci --omit=dev must leave it out.
      const devOnly =
        !prod.has(at) && entry.dev !== true && entry.optional !== true && entry.devOptional !== true;
      kept[at] = devOnly ? { ...entry, dev: true } : entry;
    }
  }
  return `${JSON.stringify({ ...lock, packages: kept }, null, 2)}\n`;
}
