import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What scripts/test-servers/kube-plane.ts needs to run, written by the server's prepare step. */
export interface PlaneConfig {
  readonly bin: string;
  readonly pki: string;
  readonly node: string;
  /** The API server's audit policy (the repository's k8s/audit/policy.yaml) and where it writes events. */
  readonly audit: { readonly policy: string; readonly log: string };
  readonly ports: {
    readonly api: number;
    readonly etcdClient: number;
    readonly etcdPeer: number;
    readonly kwok: number;
  };
}

/** One request to the test API server as its admin (static token, its own CA). Never throws on status. */
export function apiRequest(
  config: PlaneConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const token = readFileSync(join(config.pki, 'tokens.csv'), 'utf8').split(',')[0] ?? '';
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: config.ports.api,
        path,
        method,
        ca: readFileSync(join(config.pki, 'ca.crt')),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        timeout: 2_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* /readyz answers plain text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
