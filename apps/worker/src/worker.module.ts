import { Module, type DynamicModule } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import { CollectScheduler, QUEUE, redisOptions, type CollectQueue } from '@memfleet/queue';
import { CollectHostUseCase } from './collect/collect-host.use-case';
import { CollectMetrics } from './collect/collect-metrics';
import { CollectProcessor } from './collect/collect.processor';
import {
  CLOCK,
  COLLECTOR,
  FINDINGS,
  HOST_STORE,
  SECRET_OPENER,
  SNAPSHOT_STORE,
} from './collect/collect.ports';
import { createInfrastructure, INFRASTRUCTURE, type WorkerInfrastructure } from './infrastructure';
import { LOGGER } from './logger';
import {
  BEFORE_WORKERS_START,
  QUEUE_PROCESSORS,
  QueueWorkersService,
} from './queue/queue-workers.service';
import { SchedulerReconciler } from './scheduling/scheduler-reconciler';
import { ShutdownService } from './shutdown.service';
import { COLLECT_QUEUE_TOKEN as COLLECT_QUEUE } from './tokens';

/**
 * The worker: queue processors and the boot-time scheduler reconcile, no HTTP. Everything that
 * holds a connection is created here and closed by ShutdownService, after the queue workers have
 * finished their jobs.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: () => new Date() },
        { provide: INFRASTRUCTURE, useFactory: () => createInfrastructure(config) },
        ...port(HOST_STORE, (i) => i.hosts),
        ...port(SNAPSHOT_STORE, (i) => i.snapshots),
        ...port(COLLECTOR, (i) => i.collector),
        ...port(FINDINGS, (i) => i.findings),
        ...port(SECRET_OPENER, (i) => i.secrets),
        {
          provide: COLLECT_QUEUE,
          useFactory: (): CollectQueue => {
            const queue: CollectQueue = new Queue(QUEUE.collect, {
              connection: redisOptions(config.redisUrl, 'worker'),
            });
            // ioredis reconnects by itself; an unhandled 'error' would only print a stack trace.
            queue.on('error', (err) =>
              logger.warn({ err: err.message }, 'collect queue: redis error'),
            );
            return queue;
          },
        },
        {
          provide: CollectScheduler,
          useFactory: (queue: CollectQueue) => new CollectScheduler(queue),
          inject: [COLLECT_QUEUE],
        },
        SchedulerReconciler,
        {
          provide: BEFORE_WORKERS_START,
          useFactory: (r: SchedulerReconciler) => () => r.start(),
          inject: [SchedulerReconciler],
        },
        CollectHostUseCase,
        CollectMetrics,
        CollectProcessor,
        {
          provide: QUEUE_PROCESSORS,
          useFactory: (collect: CollectProcessor) => [collect],
          inject: [CollectProcessor],
        },
        QueueWorkersService,
        ShutdownService,
      ],
    };
  }
}

function port(token: symbol, pick: (i: WorkerInfrastructure) => unknown) {
  return [{ provide: token, useFactory: pick, inject: [INFRASTRUCTURE] }];
}
