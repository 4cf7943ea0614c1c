import { UnrecoverableError, type Job } from 'bullmq';
import { JOB, type QueueName } from '@memfleet/queue';
import type { z } from 'zod';

export type JobHandler = (job: Job) => Promise<unknown>;

/**
 * One processor per queue. It names its queue and gives a handler for every job name the
 * registry lists for that queue; the worker refuses to boot when one is missing, rather than
 * failing jobs of that name at 3 a.m.
 */
export interface QueueProcessor {
  readonly queueName: QueueName;
  readonly handlers: Readonly<Record<string, JobHandler>>;
}

export class MissingJobHandlerError extends Error {
  constructor(queueName: string, missing: readonly string[]) {
    super(`queue "${queueName}" has no handler for job name(s): ${missing.join(', ')}`);
    this.name = 'MissingJobHandlerError';
  }
}

export function assertHandlesEveryJob(processor: QueueProcessor): void {
  const missing = Object.values(JOB[processor.queueName]).filter(
    (name) => typeof processor.handlers[name] !== 'function',
  );
  if (missing.length > 0) throw new MissingJobHandlerError(processor.queueName, missing);
}

/** The switch on `job.name`. A name nobody handles fails at once: retrying will not add a handler. */
export function dispatch(processor: QueueProcessor, job: Job): Promise<unknown> {
  const handler = processor.handlers[job.name];
  if (handler === undefined) {
    throw new UnrecoverableError(`queue "${processor.queueName}" has no job named "${job.name}"`);
  }
  return handler(job);
}

/** Validates a payload; a malformed one can never succeed, so it is not retried. */
export function payloadOf<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const result = schema.safeParse(job.data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new UnrecoverableError(`invalid ${job.name} payload: ${issues.join('; ')}`);
}
