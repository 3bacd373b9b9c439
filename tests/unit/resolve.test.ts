import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { nearest, resolveIds } from '../../lib/graph/resolve.js';
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
  it('the step meant, from a number, another case or a near name; nothing for an empty id', () => {
    const names = ['0-1', '0-2', '0-12', 'dev-setup', 'docs', 'ci'];
    assert.equal(nearest('12', names), '0-12', 'not 0-2, one edit away');
    assert.equal(nearest('DOCS', names), 'docs');
    assert.equal(nearest('Dev-Setup', names), 'dev-setup');
    assert.equal(nearest('dev-setpu', names), 'dev-setup');
    assert.equal(nearest('', names), null, 'not "ci", two edits away');
    assert.equal(nearest('  ', names), null);
  });
  it('an empty id is said as such, with no guess', failsWith('', 'E_UNKNOWN_TASK', 'an empty task id ("")'));
  it('ids joined by commas: separate them with spaces, with the command that does', () => {
    assert.throws(
      () => resolveIds(['0-3,0-1'], tasks),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_UNKNOWN_TASK' &&
        e.message === 'unknown task "0-3,0-1": task ids are separated by spaces, not commas' &&
        e.fix === 'give each as its own argument: foundation run 0-3 0-1',
    );
    assert.throws(() => resolveIds(['0-3,0-1'], tasks, 'plan'), {
      fix: 'give each as its own argument: foundation plan 0-3 0-1',
    });
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
