// Spans for every query, from @opentelemetry/instrumentation-pg 0.77.0 without a loader hook. The template
// is ESM and registers no import hooks (no `--import`, no import-in-the-middle), and `pg` is imported by
// this part before telemetry starts, so the instrumentation's require hook would never see it load. Its
// public API patches a module object it is handed instead: getModuleDefinitions() gives the `pg` and
// `pg-pool` definitions, and their patch() wraps Client.prototype.query/connect and Pool.prototype.connect
// in place. Both prototypes are shared by the process, so this happens once; each start only points the
// instrumentation at the current tracer provider (a test, or a restart, may register a new one).
import { trace } from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import pg from 'pg';
import { operationOf } from './sql.js';

let instrumentation: PgInstrumentation | null = null;

/** pg-pool's class: pg.Pool is `class BoundPool extends Pool`. */
function poolClass(): unknown {
  return Object.getPrototypeOf(pg.Pool) as unknown;
}

let patched = false;

/** Query spans (CLIENT, stable db semconv: db.system.name, db.query.text, …) for every pg client and pool. */
export function instrumentPg(): void {
  instrumentation ??= new PgInstrumentation({
    // No require/import hooks: patched explicitly below.
    enabled: false,
    // Only inside a traced request or handler: probes and start-up queries make no root spans.
    requireParentSpan: true,
    // Values are never recorded (db.query.text is the parameterised SQL).
    enhancedDatabaseReporting: false,
    // The instrumentation computes db.operation.name for its metrics but does not put it on the span.
    requestHook(span, { query }) {
      span.setAttribute('db.operation.name', operationOf(query.text));
    },
  });
  if (!patched) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      if (definition.name === 'pg') definition.patch?.(pg);
      if (definition.name === 'pg-pool') definition.patch?.(poolClass());
    }
    patched = true;
  }
  instrumentation.setTracerProvider(trace.getTracerProvider());
}

/** Undo instrumentPg's patches (the bench compares with bare pg this way); instrumentPg patches again. */
export function uninstrumentPg(): void {
  if (!patched || instrumentation === null) return;
  for (const definition of instrumentation.getModuleDefinitions()) {
    if (definition.name === 'pg') definition.unpatch?.(pg);
    if (definition.name === 'pg-pool') definition.unpatch?.(poolClass());
  }
  patched = false;
}
