import type { BatchLimits } from './batcher.js';

/**
 * How publishes are batched, for both clients. acks=all and an idempotent producer keep POST /events
 * durable; with idempotence a client keeps one produce request in flight per broker, so one event per
 * request would cap throughput at one broker round trip per event whatever the concurrency. Instead,
 * events published while a request is in flight leave together in the next one (see batcher.ts): no
 * linger (a lone publish is sent at once, so low load pays no added latency), and batches that grow with
 * the number of concurrent publishes. Limits: 1,000 events or 512 KiB per request, half the broker's
 * default maximum batch size (1 MiB) so a full batch is never refused. No compression: service events
 * are small JSON, and CPU is the scarcer resource at these sizes.
 */
export const PRODUCER_BATCH: BatchLimits = { maxCount: 1_000, maxBytes: 512 * 1024 };
