// The template bench's reference: bare Fastify (the version the demo installs, from its node_modules) with
// one route, GET /livez answering as the template's does, and nothing else: no hooks, no logger.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO, freePort } from '../integration/demo.js';

const SOURCE = `import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/livez', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

export interface BareFastify {
  readonly url: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Start it in the demo's folder (after buildDemo), so `fastify` resolves to the demo's copy. */
export async function startBareFastify(): Promise<BareFastify> {
  const script = join(DEMO, 'bench-bare-fastify.mjs');
  writeFileSync(script, SOURCE);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: DEMO,
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`bare Fastify exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/livez`)).ok) return { url, pid: child.pid, stop };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`bare Fastify did not answer: ${stderr}`);
}
