/** The mask that replaces every secret value. */
export const MASK = '***';

/** Values shorter than this are not masked: masking "a" would mangle every line and protect nothing. */
export const MIN_SECRET_LENGTH = 6;
const MIN_LENGTH = MIN_SECRET_LENGTH;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const USER_PART = /^[^:/@\s%]{1,64}(:|%3A)(?!\/)/i; // user:… raw or URL-encoded
const PEM_ARMOUR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/** `text` cut into lines of `width` characters: base64 as `base64 -w 76` (MIME) or PEM (64) wraps it. */
const wrapped = (text: string, width: number): string[] =>
  Array.from({ length: Math.ceil(text.length / width) }, (_, i) => text.slice(i * width, (i + 1) * width));

/**
 * The one redactor. Every secret value is masked in every string that leaves the process: task output,
 * logs, events, errors and the recap all pass through it. Besides the raw value it masks the forms a value
 * commonly takes in transit: base64 (Kubernetes Secret data), URL-encoding and JSON-escaping.
 */
export class Redactor {
  private needles: string[] = [];
  /** Per needle, the shortest start of it that counts as cut secret (past a scheme or a user name). */
  private floors = new Map<string, number>();

  constructor(values: Iterable<string> = []) {
    this.add(...values);
  }

  /** Register more secret values (e.g. one generated during the run). */
  add(...values: string[]): void {
    const forms = new Set(this.needles);
    for (const value of values) {
      if (value.length < MIN_LENGTH) continue;
      const base64 = Buffer.from(value).toString('base64');
      forms.add(value);
      forms.add(base64);
      forms.add(Buffer.from(value).toString('base64url'));
      forms.add(encodeURIComponent(value));
      forms.add(encodeURIComponent(value).replace(/%20/g, '+')); // a form body's encoding
      forms.add(JSON.stringify(value).slice(1, -1));
      // Output is often handled a line at a time (a step's log, one event per line): a multi-line value
      // (a PEM key) is masked line by line too, and so is its base64 wrapped the usual ways.
      if (value.includes('\n'))
        for (const line of value.split(/\r?\n/).map((l) => l.trim()))
          if (!PEM_ARMOUR.test(line)) forms.add(line); // "-----BEGIN … KEY-----" is no secret
      if (base64.length > 64)
        for (const line of [...wrapped(base64, 76), ...wrapped(base64, 64)]) forms.add(line);
    }
    // Longest first, so a value that contains another is masked whole.
    this.needles = [...forms].filter((f) => f.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
    // "https://" and "user:" (of a user:password form) begin secrets but are none: a cut needs 6 more.
    this.floors = new Map(
      this.needles.map((n) => [
        n,
        (SCHEME.exec(n)?.[0].length ?? USER_PART.exec(n)?.[0].length ?? 0) + MIN_LENGTH,
      ]),
    );
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(MASK);
    }
    return out.includes('...') || out.includes('…') ? this.cutShort(out) : out;
  }

  /**
   * A message shortened before it reached the redactor ("helm printed …: abc123…") can end in the first
   * characters of a secret, which the whole-value needles miss: the part before an ellipsis that begins a
   * secret (6 characters or more) is masked too.
   */
  private cutShort(text: string): string {
    const cuts: [number, number][] = [];
    for (const match of text.matchAll(/\.\.\.|…/g)) {
      const at = match.index;
      // One scan per run of dots: "......" is one ellipsis, not two.
      if (at < MIN_LENGTH || text[at - 1] === '.' || text[at - 1] === '…') continue;
      // A cut secret's last characters before the ellipsis are somewhere in it: found with indexOf, then
      // checked whole (a scan of every prefix length took 75 ms for 2,000 such lines and 40 secrets).
      const tail = text.slice(at - MIN_LENGTH, at);
      let longest = 0;
      for (const needle of this.needles) {
        // A URL secret's scheme ("https://") is no part of the secret: at least 6 characters after it.
        const floor = this.floors.get(needle) ?? MIN_LENGTH;
        for (let j = needle.indexOf(tail); j >= 0; j = needle.indexOf(tail, j + 1)) {
          const k = j + MIN_LENGTH;
          if (k >= floor && k < needle.length && k > longest && text.endsWith(needle.slice(0, k), at))
            longest = k;
        }
      }
      const from = at - longest;
      if (longest > 0 && (cuts.length === 0 || from >= (cuts.at(-1)?.[1] ?? 0))) cuts.push([from, at]);
    }
    let out = text;
    for (const [from, to] of cuts.reverse()) out = `${out.slice(0, from)}${MASK}${out.slice(to)}`;
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
