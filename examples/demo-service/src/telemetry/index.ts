// lib/telemetry: logging, metrics and tracing for the runner and for every service built from the
// template. It imports nothing else from lib/, so the generator can copy it into a service as it is.
export { CLIENT_CLOSED, type HttpReplyLike, type HttpRequestLike } from './http-fields.js';
export {
  QUIET_PATHS,
  httpTelemetry,
  type HttpTelemetryHooks,
  type HttpTelemetryOptions,
  type RequestLogLevel,
} from './http.js';
export { createLogger, traceFields, type Level, type LoggerOptions } from './logger.js';
export { CENSORED, SECRET_FIELD_NAMES, censorSecrets } from './log-fields.js';
export {
  SECRET_NAME,
  decodeOrKeep,
  isSecretParam,
  scrub,
  settingSecrets,
  urlCredentials,
  urlSecrets,
} from './secret-values.js';
export {
  HTTP_BUCKETS,
  UNMATCHED_ROUTE,
  createHttpMetrics,
  createRegistry,
  type HttpMetrics,
} from './metrics.js';
export {
  SpanKind,
  extractContext,
  injectContext,
  startTelemetry,
  tracer,
  withSpan,
  type Telemetry,
  type TelemetryOptions,
} from './tracing.js';
