import { spawn as nodeSpawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FoundationError } from '../errors.js';
import { mirrored } from '../prereqs/releases.js';
import type { ReleaseDownload } from '../ports/dev.js';
import { splitCredentials } from '../endpoints/credentials.js';

const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** Unpack one member of a .tar.gz with the system's tar; rejects with tar's first line of stderr. */
function untar(spawn: typeof nodeSpawn, file: string, dir: string, member: string, signal: AbortSignal) {
  return new Promise<void>((done, fail) => {
    const tar = spawn('tar', ['-xzf', file, '-C', dir, member], {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
    });
    let stderr = '';
    tar.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    tar.on('error', fail);
    tar.on('close', (code) => {
      if (code === 0) done();
      else fail(new Error(stderr.split('\n')[0] || `tar exited with ${String(code)}`));
    });
  });
}

/**
 * Install one command from a pinned release: download (through a mirror when set), hash while writing,
 * refuse a file whose SHA-256 differs, unpack the binary from a .tar.gz (the system's tar), then move it
 * into binDir in one rename — a failed or refused install leaves nothing behind.
 */
export async function installRelease(
  d: ReleaseDownload,
  binDir: string,
  options: { mirror?: string; signal?: AbortSignal; manual: string; spawn?: typeof nodeSpawn },
): Promise<{ path: string; bytes: number; ms: number }> {
  const started = performance.now();
  // A mirror's URL may carry credentials: sent as basic auth (fetch refuses them in the URL), never shown.
  const { url, authorization: auth } = splitCredentials(mirrored(d.url, options.mirror));
  const shown = auth === undefined ? url : url.replace('://', '://***@');
  const what = `${d.name} ${d.version}`;
  await mkdir(binDir, { recursive: true });
  const work = await mkdtemp(join(binDir, `.${d.command}-`));
  try {
    const signal = AbortSignal.any([
      AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
      ...(options.signal ? [options.signal] : []),
    ]);
    const response = await fetch(url, {
      signal,
      ...(auth === undefined ? {} : { headers: { authorization: auth } }),
    }).catch((e: unknown) => {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new FoundationError(
        'E_DOWNLOAD_FAILED',
        `${what}: ${shown} could not be fetched (${cause?.code ?? cause?.message ?? (e as Error).message}); ${d.name} was not installed`,
        `check the network (or set TOOLS_MIRROR to a mirror of the release downloads), or install it yourself: ${options.manual}`,
      );
    });
    if (!response.ok || response.body === null)
      throw new FoundationError(
        'E_DOWNLOAD_FAILED',
        `${what}: ${shown} answered HTTP ${response.status}; ${d.name} was not installed`,
        `install it yourself: ${options.manual}`,
      );
    const file = join(work, 'download');
    const hash = createHash('sha256');
    let bytes = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(body, createWriteStream(file));
    const got = hash.digest('hex');
    if (got !== d.sha256.toLowerCase())
      throw new FoundationError(
        'E_CHECKSUM_MISMATCH',
        `${what}: the download from ${shown} has SHA-256 ${got}, not the pinned ${d.sha256}; refused, ${d.name} was not installed`,
        `something between you and the release changed the file (a proxy, a mirror): retry, or install it yourself: ${options.manual}`,
      );
    let binary = file;
    if (d.kind === 'tar.gz') {
      const member = d.member ?? d.command;
      await untar(options.spawn ?? nodeSpawn, file, work, member, signal).catch((e: unknown) => {
        throw new FoundationError(
          'E_DOWNLOAD_FAILED',
          `${what}: ${member} is not in the archive (${(e as Error).message})`,
          options.manual,
        );
      });
      binary = join(work, member);
    }
    await chmod(binary, 0o755);
    const path = join(binDir, d.command);
    await rename(binary, path);
    return { path, bytes, ms: Math.round(performance.now() - started) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
