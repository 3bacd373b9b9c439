// An App (lib/commands/app.ts) for runGraph in unit tests: fixture tasks, plain output collected in
// `writes`, run records in a temporary workspace, fake task contexts; what a test needs of its own
// (its signal, children) it passes in.
import { NO_KIT } from '../../lib/generator/kit.js';
import { PLAIN } from '../../lib/ui/style.js';
import { RunStore, newRunId } from '../../lib/adapters/run-store.js';
import type { App } from '../../lib/commands/app.js';
import type { Task } from '../../lib/model/task.js';
import { Redactor } from '../../lib/redact.js';
import { CONFIG, fakeContext } from './fixtures.js';

export function testApp(
  ws: string,
  tasks: readonly Task[],
  writes: string[],
  own: Partial<Pick<App, 'signal' | 'children'>> = {},
): App {
  return {
    tasks: [...tasks],
    config: CONFIG,
    redactor: new Redactor(),
    workspace: ws,
    cwd: ws,
    shell: ws,
    output: 'plain',
    style: PLAIN,
    signal: own.signal ?? new AbortController().signal,
    children: own.children ?? { settle: () => Promise.resolve({ waited: 0, killed: 0, graceMs: 0 }) },
    stdout: (text) => writes.push(text),
    stderr: () => undefined,
    makeContext: (signal, log) => fakeContext({ signal, log }),
    openRunStore: () => new RunStore(ws, newRunId()),
    liveView: () => Promise.reject(new Error('no TTY here')),
    lastSummary: () => null,
    observe: () => Promise.resolve({ sink: () => undefined, metricsText: () => Promise.resolve('') }),
    generator: {
      template: () => ({ version: '0', files: [], kit: NO_KIT }),
      inspect: () => {
        throw new Error('not used');
      },
      writeNew: () => undefined,
    },
  };
}
