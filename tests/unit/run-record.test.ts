// The run's record never ends the run: a write that fails (a full disk, a `latest` that became a folder)
// is said once after the recap, and the run keeps its own outcome and exit code.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNS_DIR, RunStore, recordProblem } from '../../lib/adapters/run-store.js';
import { readRunEvents, readRunSummaries } from '../../lib/adapters/report-store.js';
import { Redactor } from '../../lib/redact.js';
import { EventBus } from '../../lib/report/bus.js';
import type { RunSummary } from '../../lib/report/summary.js';

const summary = { v: 1, runId: 'r', tasks: [] } as unknown as RunSummary;

describe('the run record', () => {
  it('its folder gone mid-run: events and summary fail without a throw, the first cause kept', () => {
    const ws = mkdtempSync(join(tmpdir(), 'record-'));
    const store = new RunStore(ws, 'r1');
    rmSync(store.dir, { recursive: true });
    writeFileSync(store.dir, 'not a folder'); // every append now fails (ENOTDIR)
    store.sink({ v: 1, runId: 'r1', ts: 't', type: 'task:phase', id: '0-1', phase: 'check', attempt: 1 });
    store.writeSummary(summary);
    assert.match(store.lost[0] ?? '', /^this run's record \(events\) could not be written: ENOTDIR/);
    assert.match(store.lost[1] ?? '', /^this run's record \(summary\) could not be written/, 'said too');
    rmSync(ws, { recursive: true, force: true });
  });

  it('a folder where the latest link goes: the summary is written, the link not, no temporary link left', () => {
    const ws = mkdtempSync(join(tmpdir(), 'record-'));
    const store = new RunStore(ws, 'r2');
    mkdirSync(join(ws, RUNS_DIR, 'latest', 'old'), { recursive: true });
    store.writeSummary(summary);
    assert.ok(readdirSync(store.dir).includes('summary.json'));
    assert.match(
      store.lost.join('\n'),
      /^\.foundation\/runs\/latest could not be pointed at this run .*rm -r/,
    );
    assert.deepEqual(readdirSync(join(ws, RUNS_DIR)).sort(), ['latest', 'r2']);
    rmSync(ws, { recursive: true, force: true });
  });

  it('a full disk is said as such, with what to do', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    assert.match(recordProblem('summary', full), /the disk is full — free some space/);
  });

  it('a sink that throws gets no more events; the others still do', () => {
    const bus = new EventBus('r', new Redactor([]));
    let seen = 0;
    bus.subscribe(() => {
      throw new Error('ENOSPC: no space left on device');
    });
    bus.subscribe(() => {
      seen++;
    });
    bus.emit({ type: 'task:phase', id: '0-1', phase: 'check', attempt: 1 });
    bus.emit({ type: 'task:phase', id: '0-1', phase: 'apply', attempt: 1 });
    assert.equal(seen, 2);
    assert.deepEqual(bus.problems, ['an event sink stopped: ENOSPC: no space left on device']);
  });

  it('read back: a summary that is JSON but not a summary is skipped; a cut events line loses only itself', () => {
    const ws = mkdtempSync(join(tmpdir(), 'record-'));
    for (const [id, text] of [
      ['a', 'null'],
      ['b', '{}'],
      [
        'c',
        JSON.stringify({
          runId: 'c',
          startedAt: '2026-11-29T00:00:00Z',
          target: 'k3d',
          counts: {},
          tasks: [{ id: '0-1' }],
        }),
      ],
      ['d', JSON.stringify({ runId: 'd', startedAt: '2026-11-29T00:00:00Z', tasks: [{ id: '0-1' }] })],
    ] as const) {
      mkdirSync(join(ws, RUNS_DIR, id), { recursive: true });
      writeFileSync(join(ws, RUNS_DIR, id, 'summary.json'), text);
    }
    assert.deepEqual(
      readRunSummaries(ws).map((r) => r.runId),
      ['c'],
    );
    writeFileSync(join(ws, RUNS_DIR, 'c', 'events.jsonl'), '{"type":"run:start"}\n{"type":"task:en');
    assert.deepEqual(
      readRunEvents(ws, 'c').map((e) => e.type),
      ['run:start'],
    );
    rmSync(ws, { recursive: true, force: true });
  });
});
