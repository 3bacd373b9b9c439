import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

/**
 * A chart repository on loopback serving a folder of packaged charts (index.yaml + .tgz), as the
 * repositories the releases name do on the internet. Close it when done.
 */
export function serveCharts(dir: string): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const name = basename(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    requests.push(name);
    const file = join(dir, name);
    if (!/^[\w.-]+\.(yaml|tgz)$/.test(name) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.tgz') ? 'application/gzip' : 'text/yaml' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${String(port)}`, server, requests });
    });
  });
}
