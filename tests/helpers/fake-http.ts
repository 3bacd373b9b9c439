import type { HttpAnswer, HttpProbe, HttpWatch } from '../../lib/ports/validation.js';

/** One route of a fake HTTP world: a URL prefix and what it answers (or throws, like a refusal). */
export type Route = (url: string, body?: unknown) => { status: number; body: string } | Error;

/**
 * An HttpProbe over handlers: the longest matching prefix answers. `watch` streams what `emit` sends (the
 * demo's event stream); every request is logged for assertions.
 */
export function fakeHttp(routes: Record<string, Route>): HttpProbe & {
  requests: string[];
  emit(text: string): void;
} {
  const requests: string[] = [];
  let streamed = '';
  const waiting = new Set<() => void>();
  const answer = (method: string, url: string, body?: unknown): Promise<HttpAnswer> => {
    requests.push(`${method} ${url}`);
    const prefix = Object.keys(routes)
      .filter((p) => url.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined)
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    const r = (routes[prefix] as Route)(url, body);
    return r instanceof Error ? Promise.reject(r) : Promise.resolve({ ...r, ms: 3 });
  };
  return {
    requests,
    emit(text) {
      streamed += text;
      for (const wake of waiting) wake();
    },
    get: (url) => answer('GET', url),
    post: (url, json) => answer('POST', url, json),
    async watch(url): Promise<HttpWatch> {
      await answer('GET', url);
      return {
        seen: (piece, ms) =>
          new Promise((resolve) => {
            const check = () => {
              if (streamed.includes(piece)) {
                clearTimeout(t);
                waiting.delete(check);
                resolve(1);
              }
            };
            const t = setTimeout(() => {
              waiting.delete(check);
              resolve(null);
            }, ms);
            waiting.add(check);
            check();
          }),
        close: () => undefined,
      };
    },
  };
}

export const json = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });
