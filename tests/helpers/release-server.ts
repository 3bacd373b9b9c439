// A release server on loopback for task 0-1's installer: serves the files it is given at their paths
// (the mirror layout <host>/<path>), 404 otherwise, and records each request and its authorization.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReleaseServer {
  readonly url: string;
  readonly files: Map<string, Buffer>;
  readonly requests: string[];
  readonly auths: (string | undefined)[];
  close(): void;
}

export async function startReleaseServer(): Promise<ReleaseServer> {
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const auths: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    auths.push(req.headers.authorization);
    const body = files.get(req.url ?? '');
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    requests,
    auths,
    close: () => server.close(),
  };
}
