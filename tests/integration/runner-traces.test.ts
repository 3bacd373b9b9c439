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
    { timeout: 30_000 },
    async () => {
      const ws = workspace();
      const r = await cli(['run', '0-1'], ws, {
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const runId = /Logs: \.foundation\/runs\/([^/]+)\//.exec(r.stdout)?.[1] ?? '';
      let trace: Traces['data'][number] | undefined;
      for (let i = 0; i < 40 && !trace; i++) {
        const res = await fetch(
          `${jaeger.env.JAEGER_QUERY_URL ?? ''}/api/traces?service=foundation&limit=50`,
        );
        const body = (await res.json()) as Traces;
        trace = body.data.find((t) =>
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
