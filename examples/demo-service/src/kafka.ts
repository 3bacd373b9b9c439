// What the service's own code imports for events. The adapters live in src/bus/.
import { context, trace } from '@opentelemetry/api';

export type { BusReadiness, EventBus, EventHandler, IncomingEvent, OutgoingEvent } from './bus/event-bus.js';
export { CONNECTION_DEFAULTS, createEventBus, type EventBusOptions, type KafkaClient } from './bus/index.js';
export { BrokerUnavailableError } from './bus/unavailable.js';

/** The active span's trace id, for responses and logs. */
export function currentTraceId(): string | undefined {
  const id = trace.getSpan(context.active())?.spanContext().traceId;
  return id === undefined || /^0+$/.test(id) ? undefined : id;
}
