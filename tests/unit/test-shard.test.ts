// Splitting the suite across CI jobs: every file in exactly one shard, the slow ones spread out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedSeconds, parseShard, pickShard, slowestFirst } from '../../scripts/test-shard.js';

const FILES = [
  'integration/foundation-all-compose.test.js',
  'integration/cluster-stack.test.js',
  'integration/foundation-all.test.js',
  'integration/compose-platform.test.js',
  ...Array.from({ length: 20 }, (_, i) => `integration/f${String(i).padStart(2, '0')}.test.js`),
];

describe('test shards', () => {
  it('every file in exactly one shard, in its original order', () => {
    const parts = [1, 2, 3].map((index) => pickShard(FILES, { index, count: 3 }));
    assert.deepEqual([...parts.flat()].sort(), [...FILES].sort());
    for (const p of parts)
      assert.deepEqual(
        p,
        FILES.filter((f) => p.includes(f)),
      );
  });

  it('the slowest files go to different shards', () => {
    const parts = [1, 2, 3].map((index) => pickShard(FILES, { index, count: 3 }));
    const slow = ['foundation-all-compose', 'cluster-stack', 'foundation-all'];
    for (const p of parts)
      assert.equal(p.filter((f) => slow.some((s) => f.endsWith(`/${s}.test.js`))).length, 1);
  });

  it('a file is weighed by its tier and name: a unit test named like a slow integration file is not slow', () => {
    assert.ok(expectedSeconds('/r/dist/tests/integration/generator.test.js') > 30);
    assert.equal(expectedSeconds('/r/dist/tests/unit/generator.test.js'), 5);
    assert.ok(expectedSeconds('/r/dist/tests/cli/cli.test.js') > 5);
  });

  it('files by expected time: the slowest first, the rest by path, none lost', () => {
    const files = [
      '/r/dist/tests/unit/b.test.js',
      '/r/dist/tests/cli/cli.test.js',
      '/r/dist/tests/unit/a.test.js',
      '/r/dist/tests/integration/template-kit.test.js',
      '/r/dist/tests/integration/foundation-all-compose.test.js',
    ];
    assert.deepEqual(slowestFirst(files), [
      '/r/dist/tests/integration/foundation-all-compose.test.js',
      '/r/dist/tests/integration/template-kit.test.js',
      '/r/dist/tests/cli/cli.test.js',
      '/r/dist/tests/unit/a.test.js',
      '/r/dist/tests/unit/b.test.js',
    ]);
    assert.deepEqual(files[0], '/r/dist/tests/unit/b.test.js', 'the input is left as it was');
  });

  it('i/n is read strictly', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3', '']) assert.ok('error' in parseShard(bad), bad);
    assert.deepEqual(pickShard(FILES, { index: 1, count: 1 }), FILES);
  });
});
