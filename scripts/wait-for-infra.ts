// scripts/wait-for-infra: wait until the broker, Prometheus, Grafana, Loki and Tempo answer, or the time
// runs out, then say which one is missing. Addresses: KAFKA_BROKERS and the *_URL settings (on the
// compose target their published ports by default; on k3d Grafana's and Prometheus's Ingress; on k3d and
// cluster what has no address is asked through the Kubernetes API's service proxy).
//   --timeout <d>    how long to wait in all (default 120 s)
//   --workspace <d>  the workspace whose .env applies (default: the git repository around the current folder)
//   --json           the result as one JSON line ({"v":1,"type":"wait-for-infra",…}; an error as type "error")
// Exit: 0 all up, 2 bad usage, 4 something missing, 130 interrupted (saying what answered so far).
import { connect } from 'node:net';
import { endpoints, waitReport, type Endpoint, type Waited } from '../lib/automation/wait.js';
import { FoundationError } from '../lib/errors.js';
import type { Kube } from '../lib/ports/kube.js';
import type { ReachProbe } from '../lib/ports/validation.js';
import { EXIT } from '../lib/report/exit-codes.js';
import { platformUrls } from '../lib/validate/run.js';
import { WaitTimeout, pending, waitUntil } from '../lib/wait/wait-until.js';
import { parseDuration } from '../lib/config/duration.js';
import { scriptArgs } from './args.js';
import { whileListening } from './interrupt.js';
import { runScript, say, useJson } from './run-script.js';
import { scriptWorld } from './script-world.js';

const ATTEMPT_MS = 2_000;
const HELP = `Usage: scripts/wait-for-infra [--timeout <duration>] [--workspace <dir>] [--json]

Waits until the broker (KAFKA_BROKERS, by TCP), Prometheus, Grafana, Loki and Tempo answer, then says
which one is missing. Their addresses: the *_URL settings; else on compose their published ports, on k3d
Grafana's and Prometheus's Ingress, and on k3d and cluster the Services through the Kubernetes API.
  --timeout <d>    how long to wait in all: 90s, 5m, or a bare number of seconds (default 120)
  --workspace <d>  the workspace whose .env applies (default: the git repository around the current folder)
  --json           the result as one JSON line ({"v":1,"type":"wait-for-infra","ok":…,"endpoints":[…]});
                   an error as one of type "error"
Without --json each endpoint is said on stderr as it answers; Ctrl+C says what answered and what did not.
Exit: 0 all up, 2 bad usage, 4 something missing, 130 interrupted.
`;

function tcpOnce(host: string, port: number, signal: AbortSignal): Promise<string | null> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: ATTEMPT_MS });
    const end = (why: string | null) => {
      signal.removeEventListener('abort', stop);
      socket.destroy();
      done(why);
    };
    const stop = (): void => {
      end('given up');
    };
    signal.addEventListener('abort', stop, { once: true });
    socket.once('connect', () => {
      end(null);
    });
    socket.once('timeout', () => {
      end('no answer');
    });
    socket.once('error', (e) => {
      end(e.message);
    });
  });
}

/**
 * One GET as `foundation status` sends it (lib/adapters/reach.ts): credentials in the URL as basic auth,
 * names under .localhost at loopback; null when it answered 2xx.
 */
async function httpOnce(reach: ReachProbe, url: string): Promise<string | null> {
  const r = await reach.reach(url, ATTEMPT_MS);
  if (r.kind === 'answered') return r.status >= 200 && r.status < 300 ? null : `HTTP ${r.status}`;
  return r.kind === 'timeout' ? `no answer within ${ATTEMPT_MS / 1_000} s` : r.reason;
}

/** Where an endpoint is, as the report names it, and one try at it (null: it answered). */
function probe(
  e: Endpoint,
  kube: Kube,
  reach: ReachProbe,
): { where: string; once: (signal: AbortSignal) => Promise<string | null> } {
  if (e.kind === 'tcp') return { where: `${e.host}:${e.port}`, once: (s) => tcpOnce(e.host, e.port, s) };
  if (e.kind === 'http') return { where: e.url, once: () => httpOnce(reach, e.url) };
  // A Service's path through the API server (kubectl get --raw …/proxy/…).
  const service = { namespace: e.namespace, name: e.service, port: String(e.port) };
  return {
    where: `${e.namespace}/${e.service}:${e.port}${e.path} (through the Kubernetes API)`,
    once: async () => {
      const answer = await kube.proxyGet(service, e.path, ATTEMPT_MS);
      return answer.status === 'ok' ? null : answer.detail;
    },
  };
}

/**
 * Try one endpoint (backoff from 0.5 s to 2 s) until it answers or the deadline passes; a coded error (no
 * kubeconfig) ends its wait at once, said with its fix, and the others are still waited for.
 */
async function waitFor(
  e: Endpoint,
  kube: Kube,
  reach: ReachProbe,
  deadline: number,
  started: number,
  signal: AbortSignal,
): Promise<Waited> {
  const { where, once } = probe(e, kube, reach);
  try {
    await waitUntil(
      async (attempt) => {
        const why = await once(attempt.signal);
        return why === null || pending(`${where}: ${why}`);
      },
      { what: e.name, deadline, intervalMs: 500, maxIntervalMs: 2_000, signal },
    );
    return { name: e.name, up: true, ms: performance.now() - started, detail: where };
  } catch (error) {
    const ms = performance.now() - started;
    if (error instanceof WaitTimeout) return { name: e.name, up: false, ms, detail: error.lastSeen };
    if (!(error instanceof FoundationError)) throw error;
    const fix = error.fix === undefined ? '' : ` (fix: ${error.fix})`;
    return { name: e.name, up: false, ms, detail: `${where}: ${error.code}: ${error.message}${fix}` };
  }
}

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        timeout: { type: 'string', default: '120' },
        workspace: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    HELP,
  );
  useJson(values.json);
  const timeoutS =
    parseDuration('--timeout', values.timeout, { bare: 's', minMs: 1_000, maxMs: 3_600_000, example: '2m' }) /
    1_000;
  const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined };
  const { ctx, config } = scriptWorld(values.workspace, {}, silent);
  const started = performance.now();
  const deadline = started + timeoutS * 1000;
  const list = endpoints(config.kafkaBrokers, platformUrls(ctx), ctx.target);
  const reach = ctx.validation.reach;
  // Each endpoint's answer as it comes (on stderr; not with --json); Ctrl+C or SIGTERM
  // ends the wait with what answered and what did not yet, instead of nothing.
  const up: string[] = [];
  const ended: string[] = []; // missing for good (a coded error ends its wait early): not "waiting"
  const results = await whileListening(async (interrupted) => {
    try {
      return await Promise.all(
        list.map((e) =>
          waitFor(e, ctx.kube, reach, deadline, started, interrupted).then((w) => {
            (w.up ? up : ended).push(w.name);
            if (!values.json)
              process.stderr.write(
                `wait-for-infra: ${w.name} ${w.up ? 'answers' : 'missing'} (${Math.round(w.ms)} ms)\n`,
              );
            return w;
          }),
        ),
      );
    } catch (error) {
      if (!interrupted.aborted) throw error;
      const waiting = list.map((e) => e.name).filter((n) => !up.includes(n) && !ended.includes(n));
      throw new FoundationError(
        'E_CANCELLED',
        `interrupted (${String(interrupted.reason)}) after ${Math.round((performance.now() - started) / 1_000)} s: ${[up.length > 0 ? `${up.join(', ')} answered` : '', ended.length > 0 ? `${ended.join(', ')} missing` : '', `no answer yet from ${waiting.join(', ')}`].filter((p) => p !== '').join('; ')}`,
      );
    }
  });
  const report = waitReport(results, timeoutS * 1000);
  say(report.text.replace(/\n$/, ''), 'wait-for-infra', { ok: report.ok, endpoints: results });
  return report.ok ? EXIT.ok : EXIT.taskFailed;
}

await runScript('wait-for-infra', main);
