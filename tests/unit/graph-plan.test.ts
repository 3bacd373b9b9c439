import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dependencyClosure,
  dependents,
  findCycle,
  graphProblems,
  select,
  topoOrder,
  validateGraph,
} from '../../lib/graph/plan.js';
import { FoundationError } from '../../lib/errors.js';
import { fixture } from '../helpers/fixtures.js';

const t = (id: string, deps: string[] = []) => fixture(id, deps).task;
const ids = (tasks: readonly { id: string }[]) => tasks.map((x) => x.id);

describe('graph planning', () => {
  it('reports a cycle with its path', () => {
    const tasks = [t('0-1'), t('0-3', ['0-1', '0-9']), t('0-9', ['0-3'])];
    assert.deepEqual(findCycle(tasks), ['0-3', '0-9', '0-3']);
    assert.deepEqual(graphProblems(tasks), ['dependency cycle: 0-3 -> 0-9 -> 0-3']);
  });

  it('finds longer cycles and none in a DAG', () => {
    assert.deepEqual(findCycle([t('a', ['c']), t('b', ['a']), t('c', ['b'])]), ['a', 'c', 'b', 'a']);
    assert.equal(findCycle([t('a'), t('b', ['a']), t('c', ['a', 'b'])]), null);
  });

  const table: [string, ReturnType<typeof t>[], string[]][] = [
    ['unknown dependency', [t('0-1'), t('0-2', ['0-99'])], ['0-2 depends on 0-99, which is not a task']],
    ['duplicate id', [t('0-1'), t('0-1')], ['duplicate task id 0-1']],
    ['self dependency', [t('0-1', ['0-1'])], ['0-1 depends on itself']],
    ['sound graph', [t('0-1'), t('0-2', ['0-1'])], []],
  ];
  for (const [name, tasks, problems] of table) {
    it(`problems: ${name}`, () => {
      assert.deepEqual(graphProblems(tasks), problems);
    });
  }

  it('validateGraph throws E_GRAPH_INVALID naming every problem', () => {
    assert.throws(
      () => validateGraph([t('a', ['x']), t('a')]),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_GRAPH_INVALID' &&
        e.message.includes('a depends on x') &&
        e.message.includes('duplicate task id a'),
    );
  });

  it('orders dependencies first and keeps registry order among independent tasks', () => {
    const tasks = [t('c', ['b']), t('a'), t('b', ['a']), t('d')];
    assert.deepEqual(ids(topoOrder(tasks)), ['a', 'b', 'c', 'd']);
  });

  it('computes closures and dependents', () => {
    const tasks = [t('a'), t('b', ['a']), t('c', ['b']), t('d', ['a']), t('e')];
    assert.deepEqual([...dependencyClosure(tasks, ['c'])].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...dependents(tasks, 'a')].sort(), ['b', 'c', 'd']);
  });

  it('selects a subset with gates for dependencies outside it', () => {
    const tasks = [t('a'), t('b', ['a']), t('c', ['b']), t('d')];
    const only = select(tasks, ['c'], false);
    assert.deepEqual(ids(only.tasks), ['c']);
    assert.deepEqual(ids(only.gates), ['b']);
    const withDeps = select(tasks, ['c'], true);
    assert.deepEqual(ids(withDeps.tasks), ['a', 'b', 'c']);
    assert.deepEqual(withDeps.gates, []);
    assert.deepEqual(ids(select(tasks, null, false).tasks), ['a', 'b', 'c', 'd']);
  });
});
