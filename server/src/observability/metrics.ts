import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * One registry per app instance (not prom-client's global one), so several apps in one test process
 * do not share counters. Collectors that need the database are attached by their owning module.
 */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'carebox_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobsCompleted: new Counter({
      name: 'carebox_jobs_completed_total',
      help: 'Jobs that completed successfully, by task',
      labelNames: ['task'] as const,
      registers: [registry],
    }),
    jobsFailed: new Counter({
      name: 'carebox_jobs_failed_total',
      help: 'Job attempts that failed (each retry counts), by task',
      labelNames: ['task'] as const,
      registers: [registry],
    }),
    jobsExhausted: new Counter({
      name: 'carebox_jobs_exhausted_total',
      help: 'Jobs that failed their last allowed attempt and will not be retried, by task',
      labelNames: ['task'] as const,
      registers: [registry],
    }),
    changeBatch: new Histogram({
      name: 'carebox_change_consumer_batch_seconds',
      help: 'One batch of the record of changes processed by a consumer',
      labelNames: ['consumer'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    changesProcessed: new Counter({
      name: 'carebox_change_consumer_changes_total',
      help: 'Changes a consumer has moved past (processed, or not its concern), by consumer',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    changeCpu: new Counter({
      name: 'carebox_change_consumer_cpu_seconds_total',
      help: "This process's CPU time while a consumer's batches ran (includes whatever else ran meanwhile)",
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    changeFailures: new Counter({
      name: 'carebox_change_consumer_failures_total',
      help: 'Attempts of a consumer on a change that failed, by consumer',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    ingestBatch: new Histogram({
      name: 'carebox_ingest_batch_seconds',
      help: 'The transaction applying a batch of envelopes: apply (an ingest job) or inline (the webhook write that stored them)',
      labelNames: ['phase'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    ingestInlineFallbacks: new Counter({
      name: 'carebox_ingest_inline_fallbacks_total',
      help: 'Webhook batches whose apply at arrival failed and went to the ingest job instead',
      registers: [registry],
    }),
    ingestBatchSize: new Histogram({
      name: 'carebox_ingest_batch_envelopes',
      help: 'Envelopes applied per ingest transaction',
      buckets: [1, 2, 5, 10, 25, 50, 100, 200],
      registers: [registry],
    }),
    assignDecision: new Histogram({
      name: 'carebox_assign_decision_seconds',
      help: 'Auto-assignment: time to choose the agent for one waiting conversation',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    slaTimerLag: new Histogram({
      name: 'carebox_sla_timer_lag_seconds',
      help: 'How late an SLA timer ran after its deadline (or warning time)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    replies: new Counter({
      name: 'carebox_replies_total',
      help: 'Reply send outcomes by channel kind: sent, retried (a retryable platform error), failed, unknown (no answer: repeated where harmless, else confirmed or left to the agent)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    streamClients: new Gauge({
      name: 'carebox_event_stream_clients',
      help: 'Event stream clients connected to this process',
      registers: [registry],
    }),
    streamClosed: new Counter({
      name: 'carebox_event_stream_closed_total',
      help: 'Event stream connections this process ended, by reason (slow_consumer: the client stopped reading; cursor_expired, cursor_unknown, shutting_down)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    queueJobs: (collect: (gauge: Gauge<'state'>) => Promise<void>) =>
      new Gauge({
        name: 'carebox_queue_jobs',
        help: 'Jobs by state: pending (waiting or scheduled), running (locked by a live worker), held (locked by a worker that stopped; unlocked within a minute), failed (no attempts left)',
        labelNames: ['state'] as const,
        registers: [registry],
        async collect() {
          await collect(this)
        },
      }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
