import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the BFF exports, in one registry per app instance so tests stay isolated. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'picasso_' });
  return {
    registry,
    timeToFirstToken: new Histogram({
      name: 'picasso_time_to_first_token_seconds',
      help: 'Time from accepting a chat request to the first model token sent',
      buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers: [registry],
    }),
    streamDuration: new Histogram({
      name: 'picasso_stream_duration_seconds',
      help: 'Duration of one generation from model call to its end',
      buckets: [0.5, 1, 2, 5, 10, 20, 40, 80, 160],
      registers: [registry],
    }),
    activeStreams: new Gauge({
      name: 'picasso_active_streams',
      help: 'Open SSE responses on this process',
      registers: [registry],
    }),
    activeGenerations: new Gauge({
      name: 'picasso_active_generations',
      help: 'Model generations running on this process',
      registers: [registry],
    }),
    resumes: new Counter({
      name: 'picasso_resumes_total',
      help: 'Chat requests that resumed a turn with Last-Event-ID',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    modelErrors: new Counter({
      name: 'picasso_model_errors_total',
      help: 'Model failures by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'picasso_auth_failures_total',
      help: 'Rejected tokens by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    securityEvents: new Counter({
      name: 'picasso_security_events_total',
      help: 'Origin denials, cross-tenant attempts and similar events',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'picasso_rate_limited_total',
      help: 'Requests refused by a rate limit',
      labelNames: ['limit'] as const,
      registers: [registry],
    }),
    storageErrors: new Counter({
      name: 'picasso_storage_errors_total',
      help: 'Failed storage operations',
      labelNames: ['operation'] as const,
      registers: [registry],
    }),
    resumeLag: new Histogram({
      name: 'picasso_resume_lag_seconds',
      help: 'Time from a resume request (Last-Event-ID) arriving to its first replayed or live event sent',
      labelNames: ['source'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    stateOperation: new Histogram({
      name: 'picasso_state_operation_seconds',
      help: 'Latency of GET /v1/state (retrieve) and POST /v1/state/clear (clear), by outcome',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2],
      registers: [registry],
    }),
    auditWriteFailures: new Counter({
      name: 'picasso_audit_write_failures_total',
      help: 'Audit entries that could not be written',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
    modelReachable: new Gauge({
      name: 'picasso_model_reachable',
      help: '1 when the last model endpoint probe got an answer, 0 when it did not',
      registers: [registry],
    }),
    widgetErrors: new Counter({
      name: 'picasso_widget_errors_total',
      help: 'Widget regions that crashed, as reported by the widget',
      labelNames: ['region', 'code'] as const,
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'picasso_http_requests_total',
      help: 'Finished HTTP requests by status class, the denominator of the error ratio',
      labelNames: ['status_class'] as const,
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'picasso_http_errors_total',
      help: 'Error responses by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
