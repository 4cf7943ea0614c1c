import { Counter, Histogram, type Registry } from 'prom-client';

export type CollectionOutcome = 'collected' | 'skipped' | 'failed';

/**
 * Collection counters live in the worker, where collections happen; the worker serves them on its
 * own port (metrics-server.ts). `reason` is a short fixed vocabulary (ok, degraded, unreachable,
 * auth_failed, ...), never an error message: a label value per message would be unbounded.
 */
export interface CollectionMetrics {
  observe(outcome: CollectionOutcome, reason: string, seconds: number): void;
}

/** Seconds; SSH collections take tens of milliseconds to the command timeout (30 s default). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createCollectionMetrics(registry: Registry): CollectionMetrics {
  const total = new Counter({
    name: 'memfleet_collections_total',
    help: 'Collection jobs run by this worker, by outcome and reason',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'memfleet_collection_duration_seconds',
    help: 'Wall time of one collection job, SSH through storing the snapshot',
    labelNames: ['outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    observe(outcome, reason, seconds) {
      total.inc({ outcome, reason });
      duration.observe({ outcome }, seconds);
    },
  };
}
