// A loopback proxy that can stall: the connection stays open and requests still reach the server, but its
// answers are held back until resume(), as with an overloaded Redis or a network that drops packets without
// resetting the connection (what test/kit/tcp-proxy.ts's cut, a closed connection, does not show).
import { connect, createServer, type Socket } from 'node:net';

export interface StallProxy {
  readonly port: number;
  via(url: string): string;
  stall(): void;
  /** Delivers what was held back, and everything after it. */
  resume(): void;
  close(): Promise<void>;
}

export async function stallProxy(target: { host: string; port: number }): Promise<StallProxy> {
  const sockets = new Set<Socket>();
  const held: { client: Socket; data: Buffer }[] = [];
  let stalled = false;
  const server = createServer((client) => {
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
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const { client, data } of held.splice(0)) if (!client.destroyed) client.write(data);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
