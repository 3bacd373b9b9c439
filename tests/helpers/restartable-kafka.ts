// A Kafka of a test's own that it can stop and start again on the same port, keeping its data: for the
// broker-away tests (a TCP proxy would not do: clients reconnect to the broker's advertised address).
// Its ports are chosen before the first start, so a test can begin with the broker absent.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ServerUnavailable,
  definition,
  ensureStarted,
  freePort,
  missing,
  nestedRoot,
  stop,
} from '../../scripts/test-servers/manager.js';
import { ROOT } from './cli.js';

export interface RestartableKafka {
  /** host:port, the same across restarts. */
  readonly brokers: string;
  /** Start it (or find it running); resolves once it answers, with how long that took. */
  start(): Promise<number>;
  stop(): Promise<void>;
  /** The same as shell commands, for a test in another process (the template's restart contract). */
  readonly commands: { readonly start: string; readonly stop: string };
}

const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** A Kafka under `<runRoot>/nested/<name>`, not started yet. Throws ServerUnavailable if not installed. */
export async function restartableKafka(runRoot: string, name: string): Promise<RestartableKafka> {
  const why = missing(definition('kafka'));
  if (why !== null) throw new ServerUnavailable(why);
  const root = nestedRoot(runRoot, name);
  const ports = join(root, 'kafka', 'ports.json');
  if (!existsSync(ports)) {
    mkdirSync(join(root, 'kafka'), { recursive: true });
    writeFileSync(ports, JSON.stringify({ broker: await freePort(), controller: await freePort() }));
  }
  const { broker } = JSON.parse(readFileSync(ports, 'utf8')) as { broker: number };
  const cli = (verb: string): string =>
    `FOUNDATION_TEST_SERVERS_DIR=${quote(root)} ${quote(process.execPath)} ${quote(
      join(ROOT, 'dist', 'scripts', 'test-servers', 'cli.js'),
    )} ${verb} kafka >/dev/null`;
  return {
    brokers: `127.0.0.1:${String(broker)}`,
    async start() {
      const started = performance.now();
      await ensureStarted(root, 'kafka');
      return Math.round(performance.now() - started);
    },
    async stop() {
      await stop(root, 'kafka');
    },
    commands: { start: cli('start'), stop: cli('stop') },
  };
}
