import { FoundationError } from '../errors.js';

/** One opt-in part of the service template (template.json → kit.parts). */
export interface KitPart {
  /** One line for `foundation new service --help` and the README. */
  readonly summary: string;
  /** Files and folders (ending in /) only this part ships; a path listed by several parts needs them all. */
  readonly paths: readonly string[];
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
}

/** The template's kit: its parts in the order they start, and files shared by some of them. */
export interface KitSpec {
  readonly parts: Readonly<Record<string, KitPart>>;
  /** Path (or folder ending in /) → the parts any one of which brings it. */
  readonly shared: Readonly<Record<string, readonly string[]>>;
}

export const NO_KIT: KitSpec = { parts: {}, shared: {} };

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** template.json's `kit` object, checked (a broken template is a broken install, not bad user input). */
export function parseKit(raw: unknown): KitSpec {
  if (raw === undefined) return NO_KIT;
  const broken = (what: string): never => {
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      `service-template/template.json: ${what}`,
      'reinstall Foundation (in its repository: git checkout service-template/template.json)',
    );
  };
  const kit = raw as { parts?: unknown; shared?: unknown };
  if (typeof kit.parts !== 'object' || kit.parts === null) return broken('kit.parts is not an object');
  const parts: Record<string, KitPart> = {};
  for (const [name, p] of Object.entries(kit.parts as Record<string, unknown>)) {
    const part = p as Partial<Record<keyof KitPart, unknown>>;
    if (typeof part.summary !== 'string' || !strings(part.paths) || !strings(part.dependencies))
      return broken(`kit.parts.${name} needs summary, paths and dependencies`);
    const dev = part.devDependencies ?? [];
    if (!strings(dev)) return broken(`kit.parts.${name}.devDependencies is not a list of names`);
    parts[name] = {
      summary: part.summary,
      paths: part.paths,
      dependencies: part.dependencies,
      devDependencies: dev,
    };
  }
  const shared: Record<string, string[]> = {};
  for (const [path, owners] of Object.entries((kit.shared ?? {}) as Record<string, unknown>)) {
    if (!strings(owners) || owners.some((o) => !(o in parts)))
      return broken(`kit.shared["${path}"] must list known parts`);
    shared[path] = owners;
  }
  return { parts, shared };
}

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j] ?? 0;
      row[j] = Math.min(here + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] ?? 0;
};

/** The nearest known name worth suggesting for a mistyped one: a small edit away, or one it begins. */
function nearest(known: readonly string[], name: string): string | undefined {
  const allowed = name.length >= 5 ? 2 : 1;
  const close = known
    .map((k) => ({ k, d: distance(name, k) }))
    .sort((a, b) => a.d - b.d)
    .find(({ k, d }) => d <= allowed || (name.length >= 3 && k.startsWith(name)));
  return close?.k;
}

/**
 * `--with postgres,redis` → the chosen parts in the kit's order (duplicates and blanks ignored; `all`: every
 * part). An unknown name is a usage error naming the parts there are, and the nearest one if it is near.
 */
export function chooseParts(kit: KitSpec, list: string | readonly string[] | undefined): string[] {
  const names = (typeof list === 'string' ? list.split(',') : (list ?? []))
    .map((s) => s.trim())
    .filter(Boolean);
  const known = Object.keys(kit.parts);
  const unknown = names.filter((n) => n !== 'all' && !known.includes(n));
  if (unknown.length > 0) {
    const near = nearest(known, unknown[0] ?? '');
    throw new FoundationError(
      'E_USAGE',
      `unknown service kit part${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (there are: ${known.join(', ')})`,
      near === undefined ? `choose from: ${known.join(', ')}, or all` : `did you mean --with ${near}?`,
    );
  }
  return names.includes('all') ? known : known.filter((k) => names.includes(k));
}

const covers = (entry: string, path: string): boolean =>
  entry.endsWith('/') ? path.startsWith(entry) : path === entry;

/**
 * Does a service with these parts get this template file? A part's file needs every part that lists it;
 * a shared file needs any of its owners (the most specific entry decides); every other file always ships.
 */
export function shipsFile(kit: KitSpec, chosen: readonly string[], path: string): boolean {
  const owners = Object.entries(kit.parts)
    .filter(([, p]) => p.paths.some((entry) => covers(entry, path)))
    .map(([name]) => name);
  if (owners.length > 0) return owners.every((o) => chosen.includes(o));
  const shared = Object.entries(kit.shared)
    .filter(([entry]) => covers(entry, path))
    .sort(([a], [b]) => b.length - a.length)[0];
  return shared === undefined || shared[1].some((o) => chosen.includes(o));
}

/** The npm packages of the parts not chosen that no chosen part needs too. */
export function droppedPackages(kit: KitSpec, chosen: readonly string[]): Set<string> {
  const kept = new Set(
    chosen.flatMap((c) => [...(kit.parts[c]?.dependencies ?? []), ...(kit.parts[c]?.devDependencies ?? [])]),
  );
  return new Set(
    Object.entries(kit.parts)
      .filter(([name]) => !chosen.includes(name))
      .flatMap(([, p]) => [...p.dependencies, ...p.devDependencies])
      .filter((d) => !kept.has(d)),
  );
}
