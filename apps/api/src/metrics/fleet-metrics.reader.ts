import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import { PrismaClient } from '@memfleet/db';
import type { FleetSample } from '@memfleet/metrics';
import { QUEUE, createRedisConnection } from '@memfleet/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { APP_LOGGER } from '../platform/tokens';

/** A scrape must answer even while Redis is down: queue depth is then left out. */
const QUEUE_TIMEOUT_MS = 2_000;
const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
] as const;

/**
 * Reads the fleet gauges at scrape time. Every query reads a small table or uses an index, so a
 * scrape every 15 s costs little: host and finding counts, the latest zone rows, the latest
 * snapshot per host through the (host_id, seq) index, and the planner's row estimate of the
 * snapshot table instead of counting it.
 */
@Injectable()
export class FleetMetricsReader implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly queue: Queue;

  constructor(
    private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.redis = createRedisConnection(config.redisUrl, 'producer');
    this.queue = new Queue(QUEUE.collect, { connection: this.redis });
    const onError = (err: Error) => logger.warn({ err: err.message }, 'redis (metrics) error');
    this.redis.on('error', onError);
    this.queue.on('error', onError);
  }

  async read(): Promise<FleetSample> {
    const [snapshotsStored, hostsByState, activeFindingsByKind, zones, slab, queueDepth] =
      await Promise.all([
        this.snapshotCount(),
        this.prisma.$queryRaw<{ state: string; count: number }[]>`
          SELECT state::text AS state, count(*)::int AS count FROM host GROUP BY state`,
        this.prisma.$queryRaw<{ kind: string; count: number }[]>`
          SELECT kind::text AS kind, count(*)::int AS count
          FROM finding WHERE ended_at IS NULL GROUP BY kind`,
        // Postgres arrays are 1-based: unusable[5] is order 4.
        this.prisma.$queryRaw<{ host: string; node: number; zone: string; index: number }[]>`
          SELECT h.name AS host, z.node::int AS node, z.zone, z.unusable[5]::float8 AS index
          FROM host_zone_latest z JOIN host h ON h.id = z.host_id
          WHERE z.unusable[5] IS NOT NULL`,
        this.prisma.$queryRaw<{ host: string; bytes: number }[]>`
          SELECT h.name AS host, s.slab_bytes::float8 AS bytes
          FROM host h CROSS JOIN LATERAL (
            SELECT slab_bytes FROM snapshot WHERE host_id = h.id ORDER BY seq DESC LIMIT 1
          ) s
          WHERE s.slab_bytes IS NOT NULL`,
        this.queueDepth(),
      ]);
    return {
      snapshotsStored,
      queueDepth,
      hostsByState,
      activeFindingsByKind,
      zoneUnusableOrder4: zones,
      hostSlabBytes: slab,
    };
  }

  /** reltuples is -1 before the first ANALYZE and 0 for a fresh table: count those exactly. */
  private async snapshotCount(): Promise<number> {
    const [estimate] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'snapshot'::regclass`;
    if (estimate !== undefined && estimate.n >= 10_000) return Math.round(estimate.n);
    const [exact] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM snapshot`;
    return exact?.n ?? 0;
  }

  private async queueDepth(): Promise<FleetSample['queueDepth']> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), QUEUE_TIMEOUT_MS);
    });
    const counts = this.queue.getJobCounts(...JOB_STATES).catch(() => undefined);
    const result = await Promise.race([counts, timeout]).finally(() => clearTimeout(timer));
    if (result === undefined) return undefined;
    return JOB_STATES.map((state) => ({ queue: QUEUE.collect, state, count: result[state] ?? 0 }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }
}
