import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli, workspace } from '../helpers/cli.js';
import { useServer } from './servers.js';

const jaeger = await useServer('jaeger');

interface Traces {
  data: { spans: { operationName: string; tags: { key: string; value: unknown }[] }[] }[];
}

describe('the runner traces itself', { skip: jaeger.skip }, () => {
  it(
    'sends one span per run and per task, with the outcome, to the OTLP endpoint',
    // Generous: on a loaded machine the run itself can take most of a minute. The wait is for a condition.
    { timeout: 180_000 },
    async () => {
      const ws = workspace();
      const r = await cli(['run', '0-1'], ws, {
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const runId = /Logs: \.foundation\/runs\/([^/]+)\//.exec(r.stdout)?.[1] ?? '';
      // Asked by the run's id (not among the latest traces: other runs may send theirs meanwhile), until
      // it is there or a minute has passed.
      const query = new URLSearchParams({
        service: 'foundation',
        tags: JSON.stringify({ 'foundation.run.id': runId }),
      });
      let trace: Traces['data'][number] | undefined;
      for (const until = Date.now() + 60_000; !trace && Date.now() < until;) {
        const res = await fetch(`${jaeger.env.JAEGER_QUERY_URL ?? ''}/api/traces?${query.toString()}`);
        trace = ((await res.json()) as Traces).data.find((t) =>
          t.spans.some((s) => s.tags.some((tag) => tag.key === 'foundation.run.id' && tag.value === runId)),
        );
        if (!trace) await sleep(250);
      }
      assert.ok(trace, `the run ${runId} is in Jaeger`);
      const task = trace.spans.find((s) => s.operationName === 'task 0-1');
      assert.ok(trace.spans.some((s) => s.operationName === 'foundation run'));
      assert.equal(task?.tags.find((t) => t.key === 'foundation.task.outcome')?.value, 'changed');
    },
  );
});
