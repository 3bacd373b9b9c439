// The HTTP probe `validate`, `status` and wait-for-infra use, against a loopback server: a URL setting
// with credentials in it (a Prometheus behind basic auth) is fetched with them as a header.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpProbe } from '../../lib/adapters/validation.js';
import { madeUpSecret } from '../helpers/fixtures.js';

describe('HTTP probe', () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(req.headers.authorization === undefined ? 401 : 200, { 'content-type': 'text/plain' });
    res.end(req.url?.startsWith('/watch') ? 'event: ready\n' : 'ok');
  });
  let base = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('sends a URL’s credentials as basic auth (fetch refuses them in the URL); a given header wins', async () => {
    const password = madeUpSecret('pw');
    const http = createHttpProbe();
    const got = await http.get(`http://admin:${password}@${base}/api/v1/query?query=up`, 5_000);
    assert.equal(got.status, 200);
    assert.equal(seen.at(-1)?.authorization, `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`);
    await http.post(`http://admin:${password}@${base}/x`, { a: 1 }, 5_000, { authorization: 'Bearer given' });
    assert.equal(seen.at(-1)?.authorization, 'Bearer given');
    assert.equal((await http.get(`http://${base}/`, 5_000)).status, 401, 'none without credentials');
    const watch = await http.watch(`http://admin:${password}@${base}/watch`, 5_000);
    assert.notEqual(await watch.seen('ready', 5_000), null);
    watch.close();
  });
});
