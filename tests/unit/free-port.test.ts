import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { ephemeralRange, freePort } from '../../scripts/test-servers/free-port.js';

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });

describe('test-server ports', () => {
  it('reads the ephemeral range, and falls back to Linux’s default on text it cannot read', () => {
    assert.deepEqual(ephemeralRange('32768\t60999\n'), [32_768, 60_999]);
    assert.deepEqual(ephemeralRange('40000 50000'), [40_000, 50_000]);
    for (const bad of ['', 'x y', '5000', '60000 1000'])
      assert.deepEqual(ephemeralRange(bad), [32_768, 60_999], bad);
  });

  it('picks below the ephemeral range, a port a server can then listen on, never the same twice', async () => {
    const [first] = ephemeralRange();
    const ports = [await freePort(), await freePort(), await freePort()];
    assert.equal(new Set(ports).size, 3);
    for (const port of ports) {
      assert.ok(port >= 10_000 && port < first, `${String(port)} is not below ${String(first)}`);
      await close(await listen(port));
    }
  });

  it('skips a port already taken, and one it handed out before', async () => {
    const [first] = ephemeralRange();
    const span = Math.min(first, 65_536) - 10_000;
    const drawing = (port: number) => () => (port - 10_000 + 0.5) / span; // every draw lands on `port`
    let taken: Server | undefined;
    for (let port = 20_000; taken === undefined && port < 20_200; port++)
      taken = await listen(port).catch(() => undefined);
    assert.ok(taken, 'no port to take between 20000 and 20200');
    const address = taken.address();
    assert.ok(address && typeof address === 'object');
    try {
      // Only the taken port is ever drawn: it is not returned, the system's pick is the fallback.
      assert.notEqual(await freePort(drawing(address.port)), address.port);
      const once = await freePort();
      assert.notEqual(await freePort(drawing(once)), once);
    } finally {
      await close(taken);
    }
  });
});
