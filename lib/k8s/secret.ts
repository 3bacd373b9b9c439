import { createHash } from 'node:crypto';

export interface SecretManifest {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly type: 'Opaque';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  /** base64 of the exact bytes of each value (UTF-8): quotes, "=", spaces, unicode and newlines survive. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * The hash of a secret's content: keys and values, order-independent. The check hashes .env's and the
 * live Secret's in memory and compares the two, so no value is ever printed. It is not written to the
 * cluster: an annotation is readable where the data is not, and an unsalted hash of a chosen password can
 * be guessed offline.
 */
export function contentHash(entries: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(entries).sort()) hash.update(`${key}\0${entries[key] ?? ''}\0`);
  return `sha256:${hash.digest('hex')}`;
}

/** Render a Secret from key/value pairs. Pure. */
export function renderSecret(
  name: string,
  namespace: string,
  entries: Readonly<Record<string, string>>,
): SecretManifest {
  const keys = Object.keys(entries).sort();
  for (const key of keys) {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new TypeError(`"${key}" is not a valid Secret key`);
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'foundation' },
    },
    data: Object.fromEntries(keys.map((k) => [k, Buffer.from(entries[k] ?? '', 'utf8').toString('base64')])),
  };
}

export interface SecretDrift {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** True when the keys match but a value differs (which one is not said: that would hint at values). */
  readonly changed: boolean;
}

/** How the cluster's Secret (keys + recorded hash) differs from the desired entries. Names keys only. */
export function secretDrift(
  desired: Readonly<Record<string, string>>,
  actual: { keys: readonly string[]; hash: string | undefined } | null,
): SecretDrift | null {
  const want = Object.keys(desired).sort();
  if (actual === null) return { added: want, removed: [], changed: false };
  const added = want.filter((k) => !actual.keys.includes(k));
  const removed = actual.keys.filter((k) => !want.includes(k));
  const changed = added.length === 0 && removed.length === 0 && actual.hash !== contentHash(desired);
  return added.length > 0 || removed.length > 0 || changed ? { added, removed, changed } : null;
}
