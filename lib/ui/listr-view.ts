import {
  Listr,
  PRESET_TIMER,
  type ListrDefaultRenderer,
  type ListrSimpleRenderer,
  type ListrTaskWrapper,
} from 'listr2';
import type { TaskResult } from '../model/outcome.js';
import type { RunEvent } from '../report/events.js';

type Wrapper = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

interface Row {
  readonly title: string;
  wrapper?: Wrapper;
  readonly ended: Promise<TaskResult>;
  end(result: TaskResult): void;
}

const LABEL: Partial<Record<TaskResult['outcome'], string>> = {
  ok: 'up to date',
  changed: 'changed',
  'would-change': 'would change',
  'pending-upstream': 'pending upstream',
};

/**
 * listr2's live view on a TTY, driven by executor events. listr2 only draws: our executor owns the graph,
 * so listr2 runs every row concurrently and each row waits for its task's end event.
 */
export function createListrView(): { sink: (event: RunEvent) => void; done(): Promise<void> } {
  const rows = new Map<string, Row>();
  let running: Promise<unknown> = Promise.resolve();

  const settle = async (row: Row, wrapper: Wrapper): Promise<void> => {
    row.wrapper = wrapper;
    const r = await row.ended;
    const why = r.reason ? ` — ${r.reason}` : '';
    if (r.outcome === 'failed') throw new Error(`${r.error?.code ?? 'failed'}: ${r.reason ?? ''}`);
    if (r.outcome === 'blocked' || r.outcome === 'skipped' || r.outcome === 'cancelled') {
      wrapper.skip(`${row.title} — ${r.outcome}${why}`);
      return;
    }
    wrapper.title = `${row.title} — ${LABEL[r.outcome] ?? r.outcome}`;
  };

  const start = (event: Extract<RunEvent, { type: 'run:start' }>): void => {
    for (const t of event.tasks) {
      let end: (r: TaskResult) => void = () => undefined;
      const ended = new Promise<TaskResult>((resolve) => (end = resolve));
      rows.set(t.id, { title: `${t.id} ${t.title}`, ended, end });
    }
    const list = new Listr<unknown, 'default', 'simple'>(
      [...rows.values()].map((row) => ({
        title: row.title,
        task: (_: unknown, w: Wrapper) => settle(row, w),
      })),
      {
        concurrent: true,
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { timer: PRESET_TIMER, showErrorMessage: true, collapseSkips: true },
      },
    );
    running = list.run().catch(() => undefined);
  };

  return {
    sink(event) {
      if (event.type === 'run:start') {
        start(event);
        return;
      }
      if (!('id' in event)) return;
      const row = rows.get(event.id);
      if (row === undefined) return;
      if (event.type === 'task:end') row.end(event);
      else if (row.wrapper === undefined) return;
      else if (event.type === 'task:output' && event.level !== 'debug') row.wrapper.output = event.line;
      else if (event.type === 'task:waiting') row.wrapper.output = `waiting for ${event.on.join(', ')}`;
      else if (event.type === 'task:phase') row.wrapper.output = event.phase;
    },
    async done() {
      await running;
    },
  };
}
