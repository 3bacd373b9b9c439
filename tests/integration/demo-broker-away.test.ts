// Issue 21: the built demo (node dist/src/main.js) with its broker away. A Kafka of this test's own is
// stopped and started under it: started without a broker, the demo stays up (live, not ready, with the
// reason) and becomes ready when the broker appears, without a restart; under a stream of POST /events
// while the broker stops and starts again, every answer is 201 or 503 with Retry-After, none waits past
// the publish timeout, and every acknowledged event is consumed once the broker is back (at-least-once).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerUnavailable } from '../../scripts/test-servers/manager.js';
import { restartableKafka, type RestartableKafka } from '../helpers/restartable-kafka.js';
import { IN_CI } from '../helpers/tools.js';
import { buildDemo, startDemo, type RunningDemo } from './demo.js';
import { root } from './servers.js';

const PUBLISH_TIMEOUT_MS = 2_000;
const CAP_MS = 2_000;
/** What a request may take beyond the publish timeout on a busy machine. */
const MARGIN_MS = 1_500;

let own: RestartableKafka | null = null;
let skip: string | false = false;
try {
  own = await restartableKafka(root(), 'demo-broker-away');
} catch (error) {
  if (!(error instanceof ServerUnavailable) || IN_CI) throw error;
  skip = error.message;
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly ms: number;
  readonly id?: string;
}

async function post(demo: RunningDemo, n: number): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${demo.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'broker.away', payload: { n } }),
      signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS + 10_000),
    });
    const body = (await res.json()) as { id?: string };
    const ms = performance.now() - started;
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ms,
      ...(body.id ? { id: body.id } : {}),
    };
  } catch {
    return { status: 0, retryAfter: null, ms: performance.now() - started }; // hung, then aborted
  }
}

/** Resolves once `check()` holds, with the time it took; fails after `ms`, naming `what`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(50);
  }
  return Math.round(performance.now() - started);
}

const consumed = (demo: RunningDemo): Set<unknown> =>
  new Set(demo.logs.filter((l) => l.msg === 'event consumed').map((l) => l.event_id));

describe('the demo with its broker away (issue 21)', { skip, timeout: 300_000 }, () => {
  let demo: RunningDemo;
  let pid: number | undefined;
  const kafka = (): RestartableKafka => own as RestartableKafka;
  const readyz = async () => (await fetch(`${demo.url}/readyz`)).status === 200;

  before(async () => {
    buildDemo();
    await kafka().stop(); // absent at start (a leftover of an interrupted run would be running)
    const topic = `demo.away.${randomUUID().slice(0, 8)}`;
    const env = {
      KAFKA_BROKERS: kafka().brokers,
      DEMO_TOPIC: topic,
      KAFKA_GROUP_ID: `demo-${topic}`,
      SERVICE_NAME: 'demo-service',
      KAFKA_PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
      KAFKA_RECONNECT_MAX_DELAY_MS: String(CAP_MS),
    };
    demo = await startDemo(env, undefined, '/livez');
    pid = demo.child.pid;
  });
  after(async () => {
    demo.child.kill('SIGKILL');
    await demo.exited;
    await kafka().stop();
  });

  it('starts without its broker: live, not ready with the reason, POST 503 with Retry-After, and it keeps retrying', async () => {
    // It used to exit with code 1 after ~9 s: several failed attempts to start the consumer, and still up.
    const attempts = () => demo.logs.filter((l) => l.msg === 'kafka consumer cannot start yet').length;
    await until(() => attempts() >= 3, '3 attempts to start the consumer', 60_000);
    assert.equal(demo.child.exitCode, null, 'still running');
    assert.equal((await fetch(`${demo.url}/livez`)).status, 200);
    const res = await fetch(`${demo.url}/readyz`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { checks: Record<string, string>; reasons?: Record<string, string> };
    assert.equal(body.checks.kafka, 'failing');
    assert.match(body.reasons?.kafka ?? '', /^broker unreachable since \S+Z: .*ECONNREFUSED/);
    const answer = await post(demo, -1);
    assert.equal(answer.status, 503);
    assert.equal(answer.retryAfter, String(CAP_MS / 1_000));
    assert.ok(answer.ms < 500, `known down: a publish fails at once (${Math.round(answer.ms)} ms)`);
  });

  it('the broker starts: ready within the back-off cap, same process', async () => {
    const startMs = await kafka().start();
    const readyMs = await until(readyz, '/readyz 200', CAP_MS + 5_000);
    process.stdout.write(`# broker started in ${startMs} ms; demo ready ${readyMs} ms after\n`);
    assert.equal(demo.child.pid, pid);
    assert.equal(demo.child.exitCode, null, 'no restart');
  });

  it('POSTs while the broker stops and starts: 201 or 503 with Retry-After, none hung; every 201 consumed', async () => {
    const answers: Answer[] = [];
    const inFlight = new Set<Promise<void>>();
    let streaming = true;
    // A bounded stream: one POST every 50 ms (not waiting for the previous one), at most 2,000.
    const stream = (async () => {
      for (let n = 0; streaming && n < 2_000; n++) {
        const one = post(demo, n).then((a) => void answers.push(a));
        inFlight.add(one);
        void one.finally(() => inFlight.delete(one));
        await sleep(50);
      }
    })();
    const count = (status: number, from = 0) => answers.slice(from).filter((a) => a.status === status).length;
    await until(() => count(201) >= 20, '20 events acknowledged', 30_000);
    await kafka().stop();
    await until(() => count(503) >= 20, '20 refusals with the broker stopped', 30_000);
    const startMs = await kafka().start();
    const readyMs = await until(readyz, '/readyz 200 again', CAP_MS + 5_000);
    const back = answers.length;
    await until(() => count(201, back) >= 20, '20 events acknowledged after the restart', 30_000);
    streaming = false;
    await stream;
    await Promise.all(inFlight);

    const odd = answers.filter((a) => a.status !== 201 && a.status !== 503);
    assert.deepEqual(odd, [], 'every answer is 201 or 503 (0: no answer in time)');
    const refused = answers.filter((a) => a.status === 503);
    assert.ok(
      refused.every((a) => a.retryAfter !== null && /^\d+$/.test(a.retryAfter)),
      'Retry-After on every 503',
    );
    const slowest = Math.max(...answers.map((a) => a.ms));
    assert.ok(slowest < PUBLISH_TIMEOUT_MS + MARGIN_MS, `the slowest answer took ${Math.round(slowest)} ms`);

    const acked = answers.flatMap((a) => (a.status === 201 && a.id !== undefined ? [a.id] : []));
    const missing = () => acked.filter((id) => !consumed(demo).has(id));
    const caughtUpMs = await until(
      () => missing().length === 0,
      `all ${acked.length} acknowledged events consumed`,
      60_000,
    ).catch((error: unknown) => {
      const said = demo.logs.filter((l) => l.level !== 'info' || /consum|kafka|group/i.test(String(l.msg)));
      throw new Error(
        `${String(error)}: not consumed ${JSON.stringify(missing())}; the demo said:\n${said
          .slice(-30)
          .map((l) => JSON.stringify(l))
          .join('\n')}`,
      );
    });
    const ms503 = refused.map((a) => a.ms).sort((x, y) => x - y);
    process.stdout.write(
      `# ${answers.length} POSTs: ${acked.length} × 201, ${refused.length} × 503 (median ${Math.round(
        ms503[Math.floor(ms503.length / 2)] ?? 0,
      )} ms, slowest ${Math.round(ms503.at(-1) ?? 0)} ms); broker restarted in ${startMs} ms, ready ${readyMs} ms ` +
        `after; every acknowledged event consumed ${caughtUpMs} ms after the stream ended\n`,
    );
    assert.equal(demo.child.pid, pid);
    assert.equal(demo.child.exitCode, null, 'no restart');
  });
});
