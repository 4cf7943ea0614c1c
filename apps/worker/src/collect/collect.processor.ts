import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { JOB, QUEUE, collectHostPayloadSchema, type CollectJobName } from '@memfleet/queue';
import { LOGGER } from '../logger';
import { payloadOf, type JobHandler, type QueueProcessor } from '../queue/queue-processor';
import { isPermanentFailure } from './collect-failure';
import { CollectHostUseCase, type CollectHostResult } from './collect-host.use-case';

/** The `collect` queue: validate the payload, run the use case, classify the failure. */
@Injectable()
export class CollectProcessor implements QueueProcessor {
  readonly queueName = QUEUE.collect;
  readonly handlers: Readonly<Record<CollectJobName, JobHandler>> = {
    [JOB.collect.collectHost]: (job) => this.collectHost(job),
  };

  constructor(
    private readonly collectHostUseCase: CollectHostUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private async collectHost(job: Job): Promise<CollectHostResult> {
    const { hostId, reason, requestId } = payloadOf(collectHostPayloadSchema, job);
    const log = this.logger.child({ jobId: job.id, hostId, reason, requestId });
    try {
      const result = await this.collectHostUseCase.execute(hostId);
      log.debug({ result }, 'collected');
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isPermanentFailure(error)) {
        log.warn({ err: message }, 'collection failed permanently; not retrying');
        throw new UnrecoverableError(message);
      }
      log.warn({ err: message, attempt: job.attemptsMade + 1 }, 'collection failed; will retry');
      throw error;
    }
  }
}
