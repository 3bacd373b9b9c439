import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { resolveIds } from '../../lib/graph/resolve.js';
import { fixture } from '../helpers/fixtures.js';

const tasks = [fixture('0-1').task, fixture('0-3', ['0-1']).task];
const failsWith = (input: string, code: string, text: string) => () => {
  assert.throws(
    () => resolveIds([input], tasks),
    (e: unknown) => e instanceof FoundationError && e.code === code && e.message.includes(text),
  );
};

describe('resolving task ids', () => {
  it('accepts ids and Phase 0 names, once each', () => {
    assert.deepEqual(resolveIds(['0-3', 'dev-setup', '0-1'], tasks), ['0-3', '0-1']);
  });
  it('suggests the nearest id', failsWith('0-33', 'E_UNKNOWN_TASK', 'Did you mean 0-3?'));
  it('suggests the nearest name', failsWith('redpandaa', 'E_UNKNOWN_TASK', 'Did you mean redpanda?'));
  it(
    'says plainly when a step is not built yet',
    failsWith('0-7', 'E_NOT_IMPLEMENTED', 'task 0-7 (compose) is not implemented yet'),
  );
  it('gives no wild guess for something far off', () => {
    assert.throws(
      () => resolveIds(['kubernetes-everything'], tasks),
      (e: unknown) => e instanceof FoundationError && !e.message.includes('Did you mean'),
    );
  });
  it('maps to exit code 2', () => {
    try {
      resolveIds(['nope'], tasks);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof FoundationError);
      assert.equal(e.exitCode, 2);
    }
  });
});
