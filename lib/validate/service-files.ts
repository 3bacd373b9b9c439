// What a service is built and deployed from, as docker and kustomize see it, for REQ-0.6/AC4
// (credential-evidence.ts judges it): the Dockerfile, .dockerignore, and every local file its
// k8s/kustomization.yaml brings in — resources, folders of resources (bases, components), patch files and
// the ConfigMap generators' files. A secretGenerator's files are not read: a Secret is where credentials
// belong, and their values have no business in validate's memory.
import { yamlRecord } from '../yaml-text.js';
import type { TemplateFile } from '../ports/generator.js';
import type { Files } from '../ports/host.js';
import { asRecord, asList, asStrings, type PlainRecord } from '../model/plain-data.js';

/** The names kustomize reads a folder's kustomization from, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Folders of folders (a base's base …): deeper than this is not followed. */
const MAX_DEPTH = 5;

/** A generator's `files` entry is `path` or `key=path`. */
const filePart = (entry: string): string => entry.slice(entry.indexOf('=') + 1);

/**
 * The local paths a kustomization names, relative to its folder: manifests (resources, patch files) and
 * ConfigMap generator sources; remote resources (URLs) aside. Pure.
 */
export function kustomizationRefs(k: PlainRecord): {
  manifests: string[];
  folders: string[];
  sources: string[];
} {
  const local = (p: string): boolean => !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('git@');
  // A resource is a file (YAML, or JSON, which is YAML too) or a folder with a kustomization of its own.
  const yaml = (p: string): boolean => /\.(ya?ml|json)$/i.test(p);
  const named = [...asStrings(k.resources), ...asStrings(k.components), ...asStrings(k.bases)].filter(local);
  // patchesStrategicMerge entries are a path or the patch itself (inline: read from the kustomization).
  const patchPaths = [
    ...[...asList(k.patches), ...asList(k.patchesJson6902)].map((p) => asRecord(p)?.path),
    ...asStrings(k.patchesStrategicMerge).filter((p) => !p.includes('\n') && yaml(p)),
  ].filter((p): p is string => typeof p === 'string');
  const sources = asList(k.configMapGenerator).flatMap((g) => {
    const gen = asRecord(g);
    const env = typeof gen?.env === 'string' ? [gen.env] : [];
    return [...asStrings(gen?.envs), ...env, ...asStrings(gen?.files).map(filePart)];
  });
  return {
    manifests: [...named.filter(yaml), ...patchPaths],
    folders: named.filter((p) => !yaml(p)),
    sources,
  };
}

/**
 * `p` from `folder` as a path in the service (`k8s/../a` → `a`), or above it by at most `above` folders
 * (`k8s/../../../shared/base` → `../../shared/base`, a base shared by services); null past that. Pure.
 */
export function servicePath(folder: string, p: string, above = 0): string | null {
  const names: string[] = [];
  let ups = 0;
  for (const part of `${folder}/${p}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') names.push(part);
    else if (names.pop() !== undefined) continue;
    else if (ups < above) ups++;
    else return null;
  }
  return [...Array<string>(ups).fill('..'), ...names].join('/');
}

/**
 * A service's build and deploy files, paths relative to `dir`: Dockerfile, .dockerignore, and what its
 * k8s/ kustomization brings in (see the head of this file), bases up to `above` folders over `dir` (its
 * depth in the workspace: a base in the repository, never outside it). `read` answers null for a missing
 * file.
 */
export async function readServiceFiles(
  read: (path: string) => Promise<string | null>,
  dir: string,
  above = 0,
): Promise<TemplateFile[]> {
  const seen = new Map<string, TemplateFile>();
  const take = async (path: string | null): Promise<string | null> => {
    if (path === null || seen.has(path)) return null;
    const content = await read(`${dir}/${path}`);
    if (content !== null) seen.set(path, { path, content });
    return content;
  };
  const kustomize = async (folder: string, depth: number): Promise<void> => {
    let text: string | null = null;
    for (const name of KUSTOMIZATION_NAMES) {
      const at = folder === '' ? name : `${folder}/${name}`;
      if (seen.has(at)) return; // read already: a base named twice, or a loop
      text = await take(at);
      if (text !== null) break;
    }
    const k = text === null ? undefined : yamlRecord(text);
    if (k === undefined) return;
    const { manifests, folders, sources } = kustomizationRefs(k);
    for (const p of [...manifests, ...sources]) await take(servicePath(folder, p, above));
    if (depth < MAX_DEPTH)
      for (const f of folders) {
        const sub = servicePath(folder, f, above);
        if (sub !== null) await kustomize(sub, depth + 1);
      }
  };
  await take('Dockerfile');
  await take('.dockerignore');
  await kustomize('k8s', 0);
  return [...seen.values()];
}

/**
 * The services Foundation deploys, by name → their files: the demo (at `demo`, examples/demo-service in
 * Foundation's package) and each folder of the workspace's services/ (where `foundation new service`
 * writes) that has a Dockerfile or a k8s/ kustomization. Both are two folders deep in their repository,
 * which their bases may reach up to (`services/orders/k8s` → `../../../shared/base`).
 */
export async function deployedServices(
  files: Pick<Files, 'read' | 'folders'>,
  demo: string,
): Promise<Record<string, TemplateFile[]>> {
  const read = (path: string): Promise<string | null> => files.read(path);
  const out: Record<string, TemplateFile[]> = { 'demo-service': await readServiceFiles(read, demo, 2) };
  for (const name of await files.folders('services')) {
    const found = await readServiceFiles(read, `services/${name}`, 2);
    if (found.length > 0) out[`services/${name}`] = found;
  }
  return out;
}
