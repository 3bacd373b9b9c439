// An App for runGraph tests: the given tasks in a workspace folder, plain output collected in `writes`,
// fake task contexts (fakeContext) and a real run store there. Override what a test needs.
import { NO_KIT } from '../../lib/generator/kit.js';
import { RunStore, newRunId } from '../../lib/adapters/run-store.js';
import type { App } from '../../lib/commands/app.js';
import type { Task } from '../../lib/model/task.js';
import { Redactor } from '../../lib/redact.js';
import { PLAIN } from '../../lib/ui/style.js';
import { CONFIG, fakeContext } from './fixtures.js';

export function testApp(
  ws: string,
  tasks: readonly Task[],
  writes: string[],
  overrides: Partial<App> = {},
): App {
  return {
    tasks,
    config: CONFIG,
    redactor: new Redactor(),
    workspace: ws,
    cwd: ws,
    shell: ws,
    output: 'plain',
    style: PLAIN,
    signal: new AbortController().signal,
    children: { settle: () => Promise.resolve({ waited: 0, killed: 0, graceMs: 0 }) },
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
    ...overrides,
  };
}
