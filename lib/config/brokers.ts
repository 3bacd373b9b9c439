/**
 * Kafka bootstrap addresses (`host:port[,host:port…]`), as KAFKA_BROKERS and `--brokers` take them.
 * Pure. Problems name the entry by position and say what is wrong without quoting it: an address list
 * may carry credentials (`user:password@host:port`) pasted by mistake.
 */
export type BrokerList =
  | { readonly ok: true; readonly brokers: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function entryProblem(entry: string): string | null {
  if (entry === '') return 'is empty (two commas in a row, or a comma at an end)';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry))
    return 'has a scheme (such as PLAINTEXT:// or http://): give host:port only';
  if (entry.includes('@')) return 'has an "@": credentials do not belong in a broker address';
  if (/\s/.test(entry)) return 'contains a space';
  const colon = entry.lastIndexOf(':');
  if (colon === -1) return 'has no port (host:port, e.g. localhost:19092)';
  const host = entry.slice(0, colon);
  const port = entry.slice(colon + 1);
  if (host === '') return 'has no host before ":"';
  if (!HOST.test(host) && !IPV6.test(host)) return 'has a host that is not a host name or IP address';
  if (!/^\d{1,5}$/.test(port)) return 'has a port that is not a number';
  const n = Number(port);
  if (n < 1 || n > 65_535) return 'has a port outside 1-65535';
  return null;
}

/** Split and check a broker list; every bad entry is reported at once. */
export function parseBrokers(text: string): BrokerList {
  const entries = text.split(',').map((e) => e.trim());
  if (entries.length === 1 && entries[0] === '') return { ok: false, problems: ['the list is empty'] };
  const problems = entries.flatMap((entry, i) => {
    const problem = entryProblem(entry);
    return problem === null ? [] : [`entry ${i + 1} of ${entries.length} ${problem}`];
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, brokers: Object.freeze(entries) };
}
