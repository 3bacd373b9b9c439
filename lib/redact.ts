/** The mask that replaces every secret value. */
export const MASK = '***';

/** Values shorter than this are not masked: masking "a" would mangle every line and protect nothing. */
const MIN_LENGTH = 6;

/**
 * The one redactor. Every secret value is masked in every string that leaves the process: task output,
 * logs, events, errors and the recap all pass through it. Besides the raw value it masks the forms a value
 * commonly takes in transit: base64 (Kubernetes Secret data), URL-encoding and JSON-escaping.
 */
export class Redactor {
  private needles: string[] = [];

  constructor(values: Iterable<string> = []) {
    this.add(...values);
  }

  /** Register more secret values (e.g. one generated during the run). */
  add(...values: string[]): void {
    const forms = new Set(this.needles);
    for (const value of values) {
      if (value.length < MIN_LENGTH) continue;
      forms.add(value);
      forms.add(Buffer.from(value).toString('base64'));
      forms.add(Buffer.from(value).toString('base64url'));
      forms.add(encodeURIComponent(value));
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    // Longest first, so a value that contains another is masked whole.
    this.needles = [...forms].filter((f) => f.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(MASK);
    }
    return out;
  }

  /** Redact every string inside a JSON-like value (objects, arrays), returning a new value. */
  redactDeep<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v)]));
    }
    return value;
  }
}
