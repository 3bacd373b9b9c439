import type { Redactor } from '../redact.js';
import { EVENT_SCHEMA_VERSION, type EventSink, type RunEvent, type RunEventBody } from './events.js';

/**
 * The single path every event takes: redacted, stamped, then handed to each sink (renderer, run store).
 * Because nothing reaches a sink any other way, a secret masked here is masked everywhere.
 * `run:end` closes it: a later event (a cancelled task's code still logging) is dropped — neither shown
 * after the recap nor recorded after the end of events.jsonl.
 */
export class EventBus {
  private readonly sinks: { sink: EventSink; name: string }[] = [];
  private readonly broken = new Set<EventSink>();
  private ended = false;
  /** What stopped a sink (a log file on a full disk): that sink gets no more events, the run goes on. */
  readonly problems: string[] = [];

  constructor(
    readonly runId: string,
    private readonly redactor: Redactor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `name` says what stopped, should the sink throw (`the terminal view`). */
  subscribe(sink: EventSink, name = 'an event sink'): void {
    this.sinks.push({ sink, name });
  }

  emit(body: RunEventBody): void {
    if (this.ended) return;
    if (body.type === 'run:end') this.ended = true;
    const event = this.redactor.redactDeep({
      v: EVENT_SCHEMA_VERSION,
      runId: this.runId,
      ts: this.now().toISOString(),
      ...body,
    }) as RunEvent;
    for (const { sink, name } of this.sinks) {
      if (this.broken.has(sink)) continue;
      try {
        sink(event);
      } catch (error) {
        this.broken.add(sink);
        this.problems.push(`${name} stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
