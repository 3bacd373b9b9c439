import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Protobuf wire format, just enough for a Secret in the Kubernetes envelope ("k8s\0" + runtime.Unknown). */
function fields(buf: Buffer): [number, Buffer | number][] {
  const out: [number, Buffer | number][] = [];
  let i = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[i++] ?? 0;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (i < buf.length) {
    const key = varint();
    if ((key & 7) === 0) out.push([key >>> 3, varint()]);
    else if ((key & 7) === 2) {
      const len = varint();
      out.push([key >>> 3, buf.subarray(i, i + len)]);
      i += len;
    } else throw new Error(`unsupported protobuf wire type ${String(key & 7)}`);
  }
  return out;
}
const bytes = (f: [number, Buffer | number][], n: number): Buffer[] =>
  f.filter(([k, v]) => k === n && Buffer.isBuffer(v)).map(([, v]) => v as Buffer);
const text = (f: [number, Buffer | number][], n: number): string => bytes(f, n)[0]?.toString() ?? '';
const map = (entries: Buffer[], value: (b: Buffer) => string) =>
  Object.fromEntries(
    entries.map((e) => fields(e)).map((kv) => [text(kv, 1), value(bytes(kv, 2)[0] ?? Buffer.alloc(0))]),
  );

/** A Secret from a protobuf request body, as the JSON the API would return (data base64). */
export function decodeSecret(body: Buffer): Record<string, unknown> {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\0')
    return JSON.parse(body.toString()) as Record<string, unknown>;
  const secret = fields(bytes(fields(body.subarray(4)), 2)[0] ?? Buffer.alloc(0));
  const meta = fields(bytes(secret, 1)[0] ?? Buffer.alloc(0));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: text(meta, 1), namespace: text(meta, 3), labels: map(bytes(meta, 11), String) },
    type: text(secret, 3),
    data: map(bytes(secret, 2), (b) => b.toString('base64')),
  };
}

/**
 * A Kubernetes API server that knows Secrets only: enough for helm's release storage, so the Helm adapter
 * can be tested with the real helm binary on loopback. Not a cluster: charts here must render no objects.
 */
export async function startFakeApiServer(): Promise<{
  url: string;
  secrets: Map<string, Record<string, unknown>>;
  close: () => Promise<void>;
}> {
  const secrets = new Map<string, Record<string, unknown>>();
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'NotFound',
    code: 404,
    message,
  });
  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    if (url.pathname === '/version') {
      send(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0' });
      return;
    }
    if (url.pathname === '/api') {
      send(res, 200, { kind: 'APIVersions', versions: ['v1'] });
      return;
    }
    if (url.pathname === '/apis') {
      send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      return;
    }
    if (url.pathname === '/api/v1') {
      send(res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs }],
      });
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(url.pathname);
    if (m === null) {
      send(res, 404, notFound(`${url.pathname} is not served here`));
      return;
    }
    const [, ns = '', name] = m;
    if (req.method === 'GET' && name === undefined) {
      const selector = (url.searchParams.get('labelSelector') ?? '')
        .split(',')
        .filter(Boolean)
        .map((s) => s.split('='));
      const items = [...secrets.values()].filter((s) => {
        const meta = s.metadata as { namespace: string; labels?: Record<string, string> };
        return meta.namespace === ns && selector.every(([k = '', v]) => meta.labels?.[k] === v);
      });
      send(res, 200, {
        kind: 'SecretList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items,
      });
      return;
    }
    if (req.method === 'GET') {
      const s = secrets.get(`${ns}/${name ?? ''}`);
      send(res, s ? 200 : 404, s ?? notFound(`secrets "${name ?? ''}" not found`));
      return;
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const o = decodeSecret(body);
      const meta = o.metadata as Record<string, unknown>;
      meta.namespace = ns;
      meta.resourceVersion = String(secrets.size + 1);
      secrets.set(`${ns}/${String(meta.name)}`, o);
      send(res, req.method === 'POST' ? 201 : 200, o);
      return;
    }
    send(res, 405, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 405,
      message: 'method not allowed',
    });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    secrets,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
