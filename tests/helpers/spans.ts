import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Collects finished spans; unlike InMemorySpanExporter it keeps them after shutdown. */
export class CollectingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
