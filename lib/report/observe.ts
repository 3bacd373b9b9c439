import { SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { Histogram, type Registry } from '@prometheus-io/client';
import type { Logger } from 'pino';
import type { RunEvent } from './events.js';

export interface RunObserver {
  readonly sink: (event: RunEvent) => void;
  /** Task durations in the Prometheus text format (a node_exporter textfile-collector file). */
  metricsText(): Promise<string>;
}

/**
 * The runner observed with lib/telemetry: one span per run and one child span per task carrying its
 * outcome, task durations in a histogram, and a JSON log line per task with its trace and span ids.
 */
export function createRunObserver(deps: { tracer: Tracer; logger: Logger; registry: Registry }): RunObserver {
  const durations = new Histogram({
    name: 'foundation_task_duration_seconds',
    help: 'Duration of a Foundation task, by task id and outcome.',
    labelNames: ['task', 'outcome'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
    registers: [deps.registry],
  });
  let run: Span | null = null;
  const spans = new Map<string, Span>();
  const taskSpan = (id: string): Span => {
    let span = spans.get(id);
    if (span === undefined) {
      const parent = run === null ? context.active() : trace.setSpan(context.active(), run);
      span = deps.tracer.startSpan(`task ${id}`, { attributes: { 'foundation.task.id': id } }, parent);
      spans.set(id, span);
    }
    return span;
  };

  const sink = (event: RunEvent): void => {
    switch (event.type) {
      case 'run:start':
        run = deps.tracer.startSpan(`foundation ${event.mode}`, {
          attributes: { 'foundation.run.id': event.runId, 'foundation.target': event.target },
        });
        deps.logger.info({ run_id: event.runId, mode: event.mode, tasks: event.tasks.length }, 'run started');
        return;
      case 'task:phase':
        taskSpan(event.id).addEvent(event.phase, { attempt: event.attempt });
        return;
      case 'task:end': {
        const span = taskSpan(event.id);
        span.setAttributes({
          'foundation.task.outcome': event.outcome,
          'foundation.task.applies': event.applies,
          ...(event.rootCause ? { 'foundation.task.root_cause': event.rootCause } : {}),
        });
        if (event.outcome === 'failed')
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.reason ?? '' });
        const { traceId, spanId } = span.spanContext();
        span.end();
        durations.observe({ task: event.id, outcome: event.outcome }, event.durationMs / 1_000);
        const level = event.outcome === 'failed' ? 'error' : event.outcome === 'blocked' ? 'warn' : 'info';
        deps.logger[level](
          {
            task: event.id,
            outcome: event.outcome,
            duration_ms: event.durationMs,
            trace_id: traceId,
            span_id: spanId,
          },
          `${event.id} ${event.outcome}${event.reason ? `: ${event.reason}` : ''}`,
        );
        return;
      }
      case 'run:end':
        run?.setAttributes({ 'foundation.exit_code': event.exitCode });
        if (event.exitCode !== 0)
          run?.setStatus({ code: SpanStatusCode.ERROR, message: `exit ${event.exitCode}` });
        run?.end();
        deps.logger.info({ exit_code: event.exitCode, duration_ms: event.durationMs }, 'run ended');
        return;
      default:
        return;
    }
  };
  return { sink, metricsText: () => deps.registry.metrics() };
}
