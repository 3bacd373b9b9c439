// SCRAM-SHA-256 (RFC 5802, RFC 7677), the client side: what PostgreSQL's password authentication asks for.
// Pure functions over the exchanged messages; scripts/test-servers/pg-wire.ts carries them.
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export interface ScramClientFinal {
  /** client-final-message: channel binding, nonce, proof. */
  readonly message: string;
  /** The server signature the server-final-message must carry (base64), proving it knows the password. */
  readonly serverSignature: string;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

/** Attributes of a SCRAM message: `r=…,s=…,i=…` → { r, s, i }. */
export function scramAttributes(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** client-first-message-bare (PostgreSQL ignores the user name here: libpq sends an empty one). */
export const clientFirstBare = (user: string, nonce: string): string =>
  `n=${user.replaceAll('=', '=3D').replaceAll(',', '=2C')},r=${nonce}`;

/** The client's answer to the server-first-message. Throws when the server's nonce does not extend ours. */
export function clientFinal(password: string, firstBare: string, serverFirst: string): ScramClientFinal {
  const { r: nonce, s: salt, i: iterations } = scramAttributes(serverFirst);
  const clientNonce = scramAttributes(firstBare).r ?? '';
  if (!nonce?.startsWith(clientNonce) || nonce === clientNonce || !salt || !iterations)
    throw new Error('SCRAM: the server-first-message is malformed or does not extend the client nonce');
  const salted = pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iterations), 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${nonce}`;
  const authMessage = `${firstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
  return {
    message: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmac(hmac(salted, 'Server Key'), authMessage).toString('base64'),
  };
}

/** Does the server-final-message carry the expected signature? */
export function serverVerified(serverFinal: string, expected: string): boolean {
  const got = Buffer.from(scramAttributes(serverFinal).v ?? '', 'base64');
  const want = Buffer.from(expected, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}
