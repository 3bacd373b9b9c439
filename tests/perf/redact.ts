// What the one redactor costs per line of output, as the runner meets it: 40 generated secrets and a PEM
// key (each line of which is a needle too), on ordinary lines and on lines that end in "..." (those are
// also scanned for the start of a cut secret). Medians of a few rounds of 2,000 lines.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Redactor } from '../../lib/redact.js';

const LINES = 2_000;

export function measureRedaction(): { redactUsPerLine: number; redactEllipsisUsPerLine: number } {
  const secrets = Array.from({ length: 40 }, () => randomBytes(32).toString('base64url'));
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const r = new Redactor([...secrets, privateKey]);
  const lines = (end: string): string[] =>
    Array.from(
      { length: LINES },
      (_, i) => `2026-01-01T00:00:00.${i} info: connecting to localhost:9092${end}`,
    );
  const perLine = (text: string[]): number => {
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      for (const line of text) r.redact(line);
      rounds.push(((performance.now() - t) * 1_000) / text.length);
    }
    return rounds.sort((a, b) => a - b)[2] ?? 0;
  };
  return { redactUsPerLine: perLine(lines('')), redactEllipsisUsPerLine: perLine(lines('...')) };
}
