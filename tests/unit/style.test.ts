import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { formatRecap, type RunSummary } from '../../lib/report/summary.js';
import { PLAIN, colourWanted, createStyler } from '../../lib/ui/style.js';
import { formatTable } from '../../lib/ui/table.js';

const ESC = '\u001b[';

describe('colours from one place', () => {
  it('on only for a terminal: never with NO_COLOR, TERM=dumb, CI or --json', () => {
    const tty = { isTTY: true, json: false, env: {} };
    assert.equal(colourWanted(tty), true);
    assert.equal(colourWanted({ ...tty, isTTY: false }), false);
    assert.equal(colourWanted({ ...tty, json: true }), false);
    assert.equal(colourWanted({ ...tty, env: { NO_COLOR: '1' } }), false);
    assert.equal(
      colourWanted({ ...tty, env: { NO_COLOR: '' } }),
      true,
      'no-color.org: only a non-empty value',
    );
    assert.equal(colourWanted({ ...tty, env: { TERM: 'dumb' } }), false);
    assert.equal(colourWanted({ ...tty, env: { CI: 'true' } }), false);
    assert.equal(colourWanted({ ...tty, env: { CI: 'false' } }), true);
  });

  it('a disabled styler returns the text as it is; an enabled one wraps it in SGR codes', () => {
    assert.equal(createStyler(false)('bad', 'x'), 'x');
    assert.equal(PLAIN('good', 'x'), 'x');
    const on = createStyler(true)('bad', 'x');
    assert.ok(on.startsWith(ESC) && stripVTControlCharacters(on) === 'x', JSON.stringify(on));
  });
});

describe('tables', () => {
  const rows = [
    ['id', 'title', 'outcome'],
    ['0-1', 'short', 'ok'],
    ['0-10', 'a title much longer than every other one in the table, as a gate row gets', 'failed'],
  ];

  it('stay aligned with a long row, with and without colours', () => {
    for (const styler of [PLAIN, createStyler(true)]) {
      const lines = formatTable(rows, { styler, style: (c) => (c === 2 ? 'bad' : null) }).map((l) =>
        stripVTControlCharacters(l),
      );
      const at = lines.map((l) => l.search(/ok|failed|outcome/));
      assert.equal(new Set(at).size, 1, lines.join('\n'));
    }
  });

  it('right-aligns the columns asked for, and never pads the last', () => {
    assert.deepEqual(
      formatTable(
        [
          ['a', '1.0 s', 'x'],
          ['bb', '12.5 s', 'y'],
        ],
        { right: [1] },
      ),
      ['a    1.0 s  x', 'bb  12.5 s  y'],
    );
  });

  it('the recap: the outcome column lines up although a gate row is longer; coloured only when asked', () => {
    const summary: RunSummary = {
      v: 1,
      runId: 'r',
      mode: 'run',
      target: 'k3d',
      startedAt: '2026-11-26T00:00:00Z',
      durationMs: 10,
      exitCode: 0,
      counts: { ok: 2 },
      runDir: '.foundation/runs/r',
      tasks: [
        { id: '0-1', title: 'Developer prerequisites', outcome: 'ok', durationMs: 5, applies: 0, gate: true },
        { id: '0-2', title: 'Kubernetes cluster and namespaces', outcome: 'ok', durationMs: 5, applies: 0 },
      ],
    };
    const plain = formatRecap(summary);
    assert.ok(!plain.includes(ESC));
    const rows = plain.split('\n').slice(1, 4);
    assert.equal(new Set(rows.map((r) => r.search(/outcome|✔ ok/))).size, 1, rows.join('\n'));
    const coloured = formatRecap(summary, 'graph', createStyler(true));
    assert.ok(coloured.includes(ESC));
    assert.equal(stripVTControlCharacters(coloured), plain);
  });
});
