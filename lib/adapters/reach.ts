import { lookup } from 'node:dns';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Reach, ReachProbe } from '../ports/validation.js';

/** `grafana.localhost` and every other name under .localhost: loopback (RFC 6761), as browsers and curl do. */
export const isLocalhostName = (hostname: string): boolean => /(^|\.)localhost\.?$/i.test(hostname);

/**
 * The system resolver, except for names under .localhost: glibc without systemd-resolved (and Node's
 * resolver with it) does not know them, while the browser the address is for does.
 */
const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (!isLocalhostName(hostname) || hostname === 'localhost') {
    lookup(hostname, options, callback);
    return;
  }
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** Why a request failed, in a few words (the socket's error code when there is one). */
function why(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (e.code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (e.code === 'ENOTFOUND') return 'the name does not resolve';
  if (e.code === 'ECONNRESET') return 'the connection was reset';
  return typeof e.message === 'string' ? e.message : String(error);
}

/** node:http rather than fetch: fetch takes no resolver, and *.localhost must reach loopback. */
export function createReachProbe(): ReachProbe {
  return {
    reach: (url, timeoutMs) =>
      new Promise<Reach>((resolve) => {
        const started = performance.now();
        const ms = () => Math.round(performance.now() - started);
        let settled = false;
        let req: ClientRequest | undefined;
        const timer = setTimeout(() => {
          settle({ kind: 'timeout', ms: ms() });
        }, timeoutMs);
        function settle(r: Reach): void {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req?.destroy();
          resolve(r);
        }
        try {
          const send = url.startsWith('https:') ? httpsRequest : httpRequest;
          req = send(url, { method: 'GET', agent: false, lookup: loopbackLookup }, (res) => {
            res.resume(); // the status is the answer; the body is not read
            settle({ kind: 'answered', status: res.statusCode ?? 0, ms: ms() });
          });
          req.on('error', (error) => {
            settle({ kind: 'failed', reason: why(error), ms: ms() });
          });
          req.end();
        } catch (error) {
          settle({ kind: 'failed', reason: why(error), ms: ms() }); // e.g. not a URL
        }
      }),
  };
}
