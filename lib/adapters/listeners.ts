import { createServer } from 'node:net';
import type { Listeners } from '../ports/host.js';

/**
 * Whether a host port is taken, by binding it for an instant: refused as in use (EADDRINUSE) means another
 * program listens there. Anything else (a port below 1024 without the right, an address this host does not
 * have) is not "in use": the tool that publishes the port says what it finds.
 */
export function createListeners(): Listeners {
  return {
    inUse: (host, port) =>
      new Promise((resolve) => {
        const server = createServer();
        server.once('error', (error: NodeJS.ErrnoException) => {
          resolve(error.code === 'EADDRINUSE');
        });
        server.listen({ host, port, exclusive: true }, () => {
          server.close(() => {
            resolve(false);
          });
        });
      }),
  };
}
