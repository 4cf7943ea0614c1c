import type { Queue } from 'bullmq';
import {
  DEFAULT_JOB_OPTIONS,
  JOB,
  MANUAL_COLLECT_DEDUP_MS,
  QUEUE,
  SCHEDULER_PREFIX,
  schedulerIdOf,
  type CollectHostPayload,
} from './queue.registry';

/** The fields of a host the scheduler looks at. libs/db's HostRecord satisfies it. */
export interface SchedulableHost {
  readonly id: string;
  readonly collection: 'ssh' | 'push';
  readonly enabled: boolean;
  readonly intervalSeconds: number;
}

export interface ReconcileResult {
  /** Schedulers created, or updated because the interval changed. */
  readonly upserted: readonly string[];
  /** Schedulers already right: left untouched so their next run is not moved. */
  readonly unchanged: readonly string[];
  /** Schedulers of hosts that are gone, disabled or push-only. */
  readonly removed: readonly string[];
}

export type CollectQueue = Queue<CollectHostPayload, unknown, string>;

/** Only enabled SSH hosts are collected; push hosts send their own bundles. */
export const isCollectable = (host: SchedulableHost): boolean =>
  host.enabled && host.collection === 'ssh';

/**
 * Keeps exactly one BullMQ job scheduler per collectable host. Safe to run from several workers at
 * once: the scheduler id is derived from the host id and `upsertJobScheduler` is atomic in Redis,
 * so concurrent reconcilers converge on the same single scheduler. A scheduler only enqueues; the
 * iteration job ids BullMQ derives from (scheduler id, due time) keep one run per interval.
 */
export class CollectScheduler {
  constructor(private readonly queue: CollectQueue) {}

  /** Make the schedulers match `hosts`, the full list of registered hosts (or `listSchedulable()`). */
  async reconcile(hosts: readonly SchedulableHost[]): Promise<ReconcileResult> {
    const wanted = new Map(hosts.filter(isCollectable).map((h) => [schedulerIdOf(h.id), h]));
    const existing = await this.listSchedulers();
    const upserted: string[] = [];
    const unchanged: string[] = [];
    for (const [id, host] of wanted) {
      if (existing.get(id) === host.intervalSeconds * 1_000) {
        unchanged.push(id);
      } else {
        await this.upsert(host);
        upserted.push(id);
      }
    }
    const removed: string[] = [];
    for (const id of existing.keys()) {
      if (!wanted.has(id) && (await this.queue.removeJobScheduler(id))) removed.push(id);
    }
    return { upserted, unchanged, removed };
  }

  /** After a host is created or updated: schedule it, reschedule it, or unschedule it. */
  async reconcileHost(host: SchedulableHost): Promise<void> {
    if (!isCollectable(host)) {
      await this.removeHost(host.id);
      return;
    }
    const current = await this.queue.getJobScheduler(schedulerIdOf(host.id));
    if (current?.every !== host.intervalSeconds * 1_000) await this.upsert(host);
  }

  /** After a host is deleted or disabled. Returns false when it had no scheduler. */
  async removeHost(hostId: string): Promise<boolean> {
    return this.queue.removeJobScheduler(schedulerIdOf(hostId));
  }

  /**
   * Queue one collection now (`POST /hosts/{id}/collect`). A repeat within
   * MANUAL_COLLECT_DEDUP_MS returns the id of the job already queued instead of adding another.
   */
  async enqueueNow(hostId: string, requestId?: string): Promise<string> {
    const payload: CollectHostPayload = { hostId, reason: 'manual', requestId };
    const job = await this.queue.add(JOB.collect.collectHost, payload, {
      ...DEFAULT_JOB_OPTIONS[QUEUE.collect],
      deduplication: { id: `manual:${hostId}`, ttl: MANUAL_COLLECT_DEDUP_MS },
    });
    if (job.id === undefined) throw new Error(`BullMQ returned no job id for host ${hostId}`);
    return job.id;
  }

  private async upsert(host: SchedulableHost): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerIdOf(host.id),
      { every: host.intervalSeconds * 1_000 },
      {
        name: JOB.collect.collectHost,
        data: { hostId: host.id, reason: 'schedule' },
        opts: DEFAULT_JOB_OPTIONS[QUEUE.collect],
      },
    );
  }

  /** scheduler id -> interval in ms, for this registry's schedulers only. */
  private async listSchedulers(): Promise<Map<string, number | undefined>> {
    // One read of the whole set: paging an index that concurrent upserts reorder could skip entries.
    const all = await this.queue.getJobSchedulers(0, -1, true);
    const found = new Map<string, number | undefined>();
    for (const s of all) {
      const id = s.id ?? s.key;
      if (id.startsWith(SCHEDULER_PREFIX)) found.set(id, s.every);
    }
    return found;
  }
}
