// The helper scripts' Ctrl+C: a signal for the work while it runs, Node's default before and after.
// untilDone (tests/unit/kafka-scripts.test.ts) and wait-for-infra (tests/integration) build on it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whileListening } from '../../scripts/interrupt.js';

const handlers = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

describe('whileListening', () => {
  it('SIGINT during the work fires its signal, the reason the signal name', async () => {
    const reason = await whileListening(
      (interrupted) =>
        new Promise<unknown>((resolve) => {
          interrupted.addEventListener(
            'abort',
            () => {
              resolve(interrupted.reason);
            },
            { once: true },
          );
          process.emit('SIGINT', 'SIGINT');
        }),
    );
    assert.equal(reason, 'SIGINT');
  });

  it("gives the work's result and leaves no handler behind, nor after a throw", async () => {
    const before = handlers();
    assert.equal(await whileListening(() => Promise.resolve(7)), 7);
    assert.deepEqual(handlers(), before);
    await assert.rejects(
      whileListening(() => Promise.reject(new Error('no'))),
      /no/,
    );
    assert.deepEqual(handlers(), before);
  });

  it('a signal that came is not heard by the next run', async () => {
    await whileListening(() => {
      process.emit('SIGTERM', 'SIGTERM');
      return Promise.resolve();
    });
    const aborted = await whileListening((interrupted) => Promise.resolve(interrupted.aborted));
    assert.equal(aborted, false);
  });
});
