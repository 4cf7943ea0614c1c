import type { DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

/**
 * The one registry of queues, job names, payload schemas and default job options. Producers (the
 * API, the scheduler) and the worker both import from here, so a renamed job cannot silently
 * strand messages in Redis.
 */
export const QUEUE = {
  collect: 'collect',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** Job names per queue. The worker refuses to boot when one of these has no handler. */
export const JOB = {
  collect: { collectHost: 'collect-host' },
} as const satisfies Record<keyof typeof QUEUE, Record<string, string>>;
export type CollectJobName = (typeof JOB.collect)[keyof typeof JOB.collect];

export const collectHostPayloadSchema = z
  .object({
    hostId: z.string().min(1).max(128),
    reason: z.enum(['schedule', 'manual']),
    requestId: z.string().min(1).max(128).optional(),
  })
  .strict();
export type CollectHostPayload = z.infer<typeof collectHostPayloadSchema>;

/** Payload schema per job name: what the processor validates before doing anything. */
export const COLLECT_PAYLOADS = {
  [JOB.collect.collectHost]: collectHostPayloadSchema,
} as const satisfies Record<CollectJobName, z.ZodType>;

/**
 * Few, quick retries: a scheduled host is collected again at its next interval anyway, so a long
 * backoff would only pile retries onto fresh iterations. Completed jobs are kept briefly for
 * inspection; failed ones longer, bounded so a dead fleet cannot fill Redis.
 */
export const DEFAULT_JOB_OPTIONS: Readonly<Record<QueueName, DefaultJobOptions>> = {
  [QUEUE.collect]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3_600, count: 5_000 },
  },
};

/** A second `POST /hosts/{id}/collect` within this window returns the first job instead of a new one. */
export const MANUAL_COLLECT_DEDUP_MS = 10_000;

/** Scheduler ids are derived from the host id, so every reconciler computes the same one. */
export const SCHEDULER_PREFIX = 'collect:';
export const schedulerIdOf = (hostId: string): string => `${SCHEDULER_PREFIX}${hostId}`;
