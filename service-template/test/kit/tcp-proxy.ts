// A loopback TCP proxy a test can cut and restore, to show how a part behaves when its server goes away
// and comes back, without owning that server: `cut()` closes every open connection and refuses new ones
// (as a stopped server does); `restore()` accepts again. `stall()` keeps connections open and lets
// requests through but holds the answers back (an overloaded server, a network dropping packets without
// a reset) until `resume()` delivers them.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** host:port of the proxy, on 127.0.0.1. */
  readonly port: number;
  /** The target URL with its host and port replaced by the proxy's. */
  via(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const held: { client: Socket; data: Buffer }[] = [];
  let stalled = false;
  const handle = (client: Socket): void => {
    const upstream = connect(target);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (data: Buffer) => {
      if (stalled) held.push({ client, data });
      else client.write(data);
    });
  };
  let server: Server = createServer(handle);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server.close(() => {
        resolve();
      });
    });
  const port = await listen(0);
  let open = true;
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut() {
      if (!open) return;
      open = false;
      await stop();
    },
    async restore() {
      if (open) return;
      server = createServer(handle);
      await listen(port);
      open = true;
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const { client, data } of held.splice(0)) if (!client.destroyed) client.write(data);
    },
    async close() {
      if (open) await stop();
      open = false;
    },
  };
}
