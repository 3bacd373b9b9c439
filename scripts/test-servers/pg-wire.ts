// A minimal PostgreSQL client (frontend/backend protocol 3.0): connect, authenticate with SCRAM-SHA-256,
// run one simple query, close. Enough for the test servers' readiness check and for tests that need a real
// round trip without a driver (the `pg` package is not a root dependency; the zonky bundle has no psql).
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { clientFinal, clientFirstBare, serverVerified } from './scram.js';

export interface PgTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface PgResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
  /** ParameterStatus values the server sent at start-up (server_version, …). */
  readonly params: Readonly<Record<string, string>>;
}

/** An ErrorResponse from the server: SQLSTATE code and message. */
export class PgError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Message {
  readonly type: string;
  readonly body: Buffer;
}

const frame = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

function errorOf(body: Buffer): PgError {
  const fields: Record<string, string> = {};
  for (let at = 0; at < body.length && body[at] !== 0;) {
    const end = body.indexOf(0, at + 1);
    fields[String.fromCharCode(body[at] ?? 0)] = body.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return new PgError(fields.C ?? '?????', `${fields.S ?? 'ERROR'}: ${fields.M ?? 'unknown error'}`);
}

/** Messages from the socket, one at a time; the socket's end or error rejects the wait. */
function reader(socket: Socket): () => Promise<Message> {
  let buf = Buffer.alloc(0);
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    wake?.();
    wake = null;
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    poke();
  });
  socket.on('error', (e) => {
    failure ??= e;
    poke();
  });
  socket.on('close', () => {
    failure ??= new Error('connection closed by the server');
    poke();
  });
  return async () => {
    for (;;) {
      if (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
        const len = buf.readInt32BE(1);
        const msg = { type: String.fromCharCode(buf[0] ?? 0), body: buf.subarray(5, 1 + len) };
        buf = buf.subarray(1 + len);
        return msg;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

async function authenticate(t: PgTarget, socket: Socket, next: () => Promise<Message>): Promise<void> {
  const nonce = randomBytes(18).toString('base64');
  const first = clientFirstBare('', nonce);
  let expected = '';
  for (;;) {
    const m = await next();
    if (m.type === 'E') throw errorOf(m.body);
    if (m.type !== 'R') throw new Error(`unexpected message '${m.type}' during authentication`);
    const code = m.body.readInt32BE(0);
    if (code === 0) return;
    if (code === 10) {
      if (!m.body.includes('SCRAM-SHA-256\0')) throw new Error('the server offers no SCRAM-SHA-256');
      const data = Buffer.from(`n,,${first}`);
      socket.write(frame('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(data.length), data])));
    } else if (code === 11) {
      const final = clientFinal(t.password, first, m.body.toString('utf8', 4));
      expected = final.serverSignature;
      socket.write(frame('p', Buffer.from(final.message)));
    } else if (code === 12) {
      if (!serverVerified(m.body.toString('utf8', 4), expected))
        throw new Error('SCRAM: the server did not prove it knows the password');
    } else throw new Error(`authentication method ${String(code)} is not supported (SCRAM only)`);
  }
}

/** One connection, one simple query (its last result set), closed again. Throws PgError for SQL errors. */
export async function pgQuery(t: PgTarget, sql: string, timeoutMs = 5_000): Promise<PgResult> {
  const socket = connect({ host: t.host, port: t.port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${String(timeoutMs)} ms`)));
  const next = reader(socket);
  try {
    const startup = Buffer.concat([
      int32(196_608),
      ...['user', t.user, 'database', t.database].map(cstr),
      Buffer.from([0]),
    ]);
    socket.write(Buffer.concat([int32(startup.length + 4), startup]));
    await authenticate(t, socket, next);
    const params: Record<string, string> = {};
    let columns: string[] = [];
    let rows: (string | null)[][] = [];
    let failed: PgError | null = null;
    let queried = false;
    for (;;) {
      const m = await next();
      if (m.type === 'S') {
        const [k = '', v = ''] = m.body.toString('utf8').split('\0');
        params[k] = v;
      } else if (m.type === 'E') {
        failed = errorOf(m.body);
        if (!queried) throw failed;
      } else if (m.type === 'T') {
        columns = rowDescription(m.body);
        rows = [];
      } else if (m.type === 'D') rows.push(dataRow(m.body));
      else if (m.type === 'Z') {
        if (queried) break;
        queried = true;
        socket.write(frame('Q', cstr(sql)));
      }
    }
    if (failed) throw failed;
    socket.write(frame('X', Buffer.alloc(0)));
    return { columns, rows, params };
  } finally {
    socket.end();
    socket.destroy();
  }
}

function rowDescription(body: Buffer): string[] {
  const names: string[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const end = body.indexOf(0, at);
    names.push(body.toString('utf8', at, end));
    at = end + 1 + 18; // table oid, column, type oid, size, modifier, format
  }
  return names;
}

function dataRow(body: Buffer): (string | null)[] {
  const values: (string | null)[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const len = body.readInt32BE(at);
    at += 4;
    values.push(len < 0 ? null : body.toString('utf8', at, at + len));
    at += Math.max(len, 0);
  }
  return values;
}
