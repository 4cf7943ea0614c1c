import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { CollectScheduler, type CollectQueue, type SchedulableHost } from './collect-scheduler';
import { QUEUE, schedulerIdOf } from './queue.registry';
import { redisOptions } from './redis-connection';

// DB 1 and a prefix per test keep these keys away from every other suite.
const REDIS_URL = 'redis://127.0.0.1:6379/1';

const host = (id: string, over: Partial<SchedulableHost> = {}): SchedulableHost => ({
  id,
  collection: 'ssh',
  enabled: true,
  intervalSeconds: 60,
  ...over,
});

describe('CollectScheduler', () => {
  let queues: CollectQueue[] = [];
  const prefix = `t-${randomUUID()}`;
  const newQueue = (): CollectQueue => {
    const q: CollectQueue = new Queue(QUEUE.collect, {
      connection: redisOptions(REDIS_URL, 'producer'),
      prefix,
    });
    queues.push(q);
    return q;
  };

  afterEach(async () => {
    await queues[0]?.obliterate({ force: true });
    await Promise.all(queues.map((q) => q.close()));
    queues = [];
  });

  it('keeps exactly one scheduler per host when several reconcilers run at once', async () => {
    const hosts = Array.from({ length: 50 }, (_, i) => host(`h${i}`, { intervalSeconds: 30 + i }));
    const reconcilers = Array.from({ length: 4 }, () => new CollectScheduler(newQueue()));
    await Promise.all(reconcilers.map((r) => r.reconcile(hosts)));
    await Promise.all(reconcilers.map((r) => r.reconcile(hosts)));

    const schedulers = await queues[0]!.getJobSchedulers(0, -1, true);
    expect(schedulers.map((s) => s.key).sort()).toEqual(
      hosts.map((h) => schedulerIdOf(h.id)).sort(),
    );
    expect(schedulers.find((s) => s.key === 'collect:h7')?.every).toBe(37_000);
    // One pending iteration per scheduler, not one per reconcile call.
    expect(await queues[0]!.getDelayedCount()).toBe(0);
    expect(await queues[0]!.getWaitingCount()).toBe(50);
  });

  it('leaves a correct scheduler untouched and reschedules one whose interval changed', async () => {
    const scheduler = new CollectScheduler(newQueue());
    await scheduler.reconcile([host('a'), host('b')]);
    const second = await scheduler.reconcile([host('a'), host('b', { intervalSeconds: 300 })]);
    expect(second).toEqual({ upserted: ['collect:b'], unchanged: ['collect:a'], removed: [] });
    expect((await queues[0]!.getJobScheduler('collect:b'))?.every).toBe(300_000);
  });

  it('removes schedulers of hosts that are gone, disabled or push-only', async () => {
    const scheduler = new CollectScheduler(newQueue());
    await scheduler.reconcile([host('keep'), host('gone'), host('off'), host('push')]);
    const result = await scheduler.reconcile([
      host('keep'),
      host('off', { enabled: false }),
      host('push', { collection: 'push' }),
    ]);
    expect([...result.removed].sort()).toEqual(['collect:gone', 'collect:off', 'collect:push']);
    const keys = (await queues[0]!.getJobSchedulers()).map((s) => s.key);
    expect(keys).toEqual(['collect:keep']);
  });

  it('never removes schedulers that another registry owns in the same queue', async () => {
    const queue = newQueue();
    await queue.upsertJobScheduler('other:thing', { every: 60_000 }, { name: 'other' });
    await new CollectScheduler(queue).reconcile([]);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['other:thing']);
  });

  it('reconcileHost schedules, reschedules and unschedules one host', async () => {
    const queue = newQueue();
    const scheduler = new CollectScheduler(queue);
    await scheduler.reconcileHost(host('x'));
    expect((await queue.getJobScheduler('collect:x'))?.every).toBe(60_000);
    await scheduler.reconcileHost(host('x', { intervalSeconds: 10 }));
    expect((await queue.getJobScheduler('collect:x'))?.every).toBe(10_000);
    await scheduler.reconcileHost(host('x', { enabled: false }));
    expect(await queue.getJobScheduler('collect:x')).toBeUndefined();
    expect(await scheduler.removeHost('x')).toBe(false);
  });

  it('enqueueNow returns the same job id for a repeated manual request', async () => {
    const queue = newQueue();
    const scheduler = new CollectScheduler(queue);
    const first = await scheduler.enqueueNow('m', 'req-1');
    const again = await scheduler.enqueueNow('m', 'req-2');
    const other = await scheduler.enqueueNow('n');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const job = await queue.getJob(first);
    expect(job?.data).toEqual({ hostId: 'm', reason: 'manual', requestId: 'req-1' });
    expect(job?.opts.attempts).toBe(3);
  });
});
