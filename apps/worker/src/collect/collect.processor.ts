import { Inject, Injectable, Optional } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  CollectScheduler,
  JOB,
  QUEUE,
  collectHostPayloadSchema,
  type CollectJobName,
} from '@memfleet/queue';
import { LOGGER } from '../logger';
import { payloadOf, type JobHandler, type QueueProcessor } from '../queue/queue-processor';
import { CollectMetrics } from './collect-metrics';
import { HostGoneError, isPermanentFailure } from './collect-failure';
import { CollectHostUseCase, type CollectHostResult } from './collect-host.use-case';

/**
 * The `collect` queue: validate the payload, run the use case, classify the failure. A scheduled
 * job for a host that is gone or no longer collectable also drops that host's scheduler, rather
 * than failing every interval until the next reconcile.
 *
 * One collection per host at a time in this process: a job that finds its host still being
 * collected (an interval shorter than a slow host's timeout, or a retry overlapping the next
 * run) is skipped. Otherwise both would share the host's pooled connection, and the first to
 * give up would close it under the other, hiding the real error behind "connection lost".
 */
@Injectable()
export class CollectProcessor implements QueueProcessor {
  readonly queueName = QUEUE.collect;
  readonly handlers: Readonly<Record<CollectJobName, JobHandler>> = {
    [JOB.collect.collectHost]: (job) => this.collectHost(job),
  };

  private readonly inFlight = new Set<string>();

  constructor(
    private readonly collectHostUseCase: CollectHostUseCase,
    private readonly scheduler: CollectScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly metrics?: CollectMetrics,
  ) {}

  private async collectHost(job: Job): Promise<CollectHostResult> {
    const { hostId, reason, requestId } = payloadOf(collectHostPayloadSchema, job);
    const log = this.logger.child({ jobId: job.id, hostId, reason, requestId });
    const startedAt = process.hrtime.bigint();
    if (this.inFlight.has(hostId)) {
      this.metrics?.observe('skipped', 'in_flight', startedAt);
      log.debug('skipped: host is being collected');
      return { outcome: 'skipped', reason: 'a collection of this host is already running' };
    }
    this.inFlight.add(hostId);
    try {
      const result = await this.collectHostUseCase.execute(hostId);
      log.debug({ result }, 'collected');
      const why = result.outcome === 'collected' ? result.state : 'not_collectable';
      this.metrics?.observe(result.outcome, why, startedAt);
      if (result.outcome === 'skipped' && reason === 'schedule') await this.unschedule(hostId);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.metrics?.observe('failed', CollectMetrics.failureReason(error), startedAt);
      if (error instanceof HostGoneError) await this.unschedule(hostId);
      if (isPermanentFailure(error)) {
        log.warn({ err: message }, 'collection failed permanently; not retrying');
        throw new UnrecoverableError(message);
      }
      log.warn({ err: message, attempt: job.attemptsMade + 1 }, 'collection failed; will retry');
      throw error;
    } finally {
      this.inFlight.delete(hostId);
    }
  }

  /** Best effort: the periodic reconcile removes it anyway if Redis is unavailable now. */
  private async unschedule(hostId: string): Promise<void> {
    await this.scheduler.removeHost(hostId).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ hostId, err: message }, 'could not remove the scheduler of a stale host');
    });
  }
}
