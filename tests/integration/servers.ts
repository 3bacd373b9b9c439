// The test side of scripts/test-servers: a test file asks for the servers it needs at its top level,
//   const kafka = await useServer('kafka');
//   describe('…', { skip: kafka.skip }, () => { … kafka.env.KAFKA_BROKERS … });
// Each server starts once per test run (shared by every file; `npm test` stops them at the end, even on
// failure or Ctrl+C). With FOUNDATION_TEST_USE_EXTERNAL=1, environment overrides point the tests at servers
// of your own — which they will write to: KAFKA_BROKERS, PROMETHEUS_URL, ALERTMANAGER_URL,
// OTEL_EXPORTER_OTLP_ENDPOINT + JAEGER_QUERY_URL, DATABASE_URL, REDIS_URL, …; without it they are ignored. A
// server that cannot be provisioned skips its tests with the reason — under CI=true that is a failure instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ServerUnavailable,
  definition,
  ensureStarted,
  killAllSync,
} from '../../scripts/test-servers/manager.js';
import { IN_CI } from '../helpers/tools.js';

export interface UsedServer {
  readonly env: Readonly<Record<string, string>>;
  /** false when the server is there; otherwise why its tests skip. */
  readonly skip: string | false;
  /** True when the environment pointed at a server of the developer's own. */
  readonly external: boolean;
}

let ownRoot: string | null = null;

/** The run's state directory (set by the test runner), or one of this process's own, cleaned up at exit. */
export function root(): string {
  const shared = process.env.FOUNDATION_TEST_SERVERS_DIR;
  if (shared) return shared;
  if (ownRoot === null) {
    const dir = mkdtempSync(join(tmpdir(), 'foundation-servers-'));
    ownRoot = dir;
    process.once('exit', () => {
      killAllSync(dir);
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a server's mount still busy: the directory stays, as a run's logs do
      }
    });
  }
  return ownRoot;
}

export async function useServer(name: string): Promise<UsedServer> {
  const def = definition(name);
  const external = process.env.FOUNDATION_TEST_USE_EXTERNAL === '1';
  const given = external ? def.overrides.filter((v) => process.env[v]) : [];
  if (given.length > 0) {
    const unset = def.overrides.filter((v) => !process.env[v]);
    if (unset.length > 0) {
      throw new Error(
        `${given.join(', ')} set, but ${unset.join(', ')} not: set all of them to use your own ${name}`,
      );
    }
    const env = Object.fromEntries(def.overrides.map((v) => [v, process.env[v] ?? '']));
    return { env, skip: false, external: true };
  }
  try {
    const state = await ensureStarted(root(), name);
    return { env: state.env, skip: false, external: false };
  } catch (error) {
    if (!(error instanceof ServerUnavailable) || IN_CI) throw error;
    return { env: {}, skip: error.message, external: false };
  }
}
