// The service template's EventBus contract (service-template/test/event-bus.contract.test.ts: order per
// key, at-least-once across a restart, offline catch-up, headers, trace propagation), run inside the
// built demo against the real broker, for both Kafka clients. Without a broker the template's own run
// skips it; here it must run and pass.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { DEMO, buildDemo } from './demo.js';
import { useServer } from './servers.js';

const kafka = await useServer('kafka');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: DEMO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });
}

const count = (out: string, what: string): number => Number(new RegExp(`ℹ ${what} (\\d+)`).exec(out)?.[1]);

describe('the EventBus contract of the service template', { skip: kafka.skip, timeout: 300_000 }, () => {
  it('holds for @platformatic/kafka and for kafkajs on the real broker', async () => {
    buildDemo();
    // Without NODE_TEST_CONTEXT: a nested `node --test` would report to this process instead of printing.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
    const { code, out } = await run(
      ['--test', '--test-concurrency=1', 'dist/test/event-bus.contract.test.js'],
      { ...env, KAFKA_CONTRACT_BROKERS: kafka.env.KAFKA_BROKERS ?? '' },
    );
    assert.equal(code, 0, out);
    for (const client of ['platformatic', 'kafkajs'])
      assert.match(out, new RegExp(`✔ EventBus over ${client}`), `the ${client} suite ran and passed`);
    assert.ok(count(out, 'tests') >= 10, out);
    assert.equal(count(out, 'pass'), count(out, 'tests'), out);
    assert.equal(count(out, 'skipped'), 0, out);
  });
});
