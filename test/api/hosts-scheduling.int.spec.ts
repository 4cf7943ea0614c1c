import { QUEUE, createRedisConnection, schedulerIdOf } from '@memfleet/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { API_TEST_REDIS_URL, startApi, uniqueName, type RunningApi } from './api-harness';

let api: RunningApi;
let redis: Redis;
let queue: Queue;
beforeAll(async () => {
  api = await startApi();
  redis = createRedisConnection(API_TEST_REDIS_URL, 'worker');
  queue = new Queue(QUEUE.collect, { connection: redis });
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
  await api.close();
});

const http = () => request(api.url);
const everyMsOf = async (hostId: string) =>
  (await queue.getJobScheduler(schedulerIdOf(hostId)))?.every;

const sshHost = () => ({
  name: uniqueName('sched'),
  address: '10.0.0.7',
  username: 'memfleet',
  auth: { type: 'password', password: 'pw' },
});

describe('host changes reach the collect scheduler', () => {
  it('schedules a new ssh host, follows its interval, and unschedules it on delete', async () => {
    const created = await http().post('/api/v1/hosts').send(sshHost()).expect(201);
    const id = created.body.id as string;
    expect(await everyMsOf(id)).toBe(60_000);

    await http().patch(`/api/v1/hosts/${id}`).send({ intervalSeconds: 120 }).expect(200);
    expect(await everyMsOf(id)).toBe(120_000);

    await http().patch(`/api/v1/hosts/${id}`).send({ enabled: false }).expect(200);
    expect(await everyMsOf(id)).toBeUndefined();

    await http().patch(`/api/v1/hosts/${id}`).send({ enabled: true }).expect(200);
    expect(await everyMsOf(id)).toBe(120_000);

    await http().delete(`/api/v1/hosts/${id}`).expect(204);
    expect(await everyMsOf(id)).toBeUndefined();
  });

  it('never schedules a push host', async () => {
    const created = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('push'), collection: 'push' })
      .expect(201);
    expect(await everyMsOf(created.body.id as string)).toBeUndefined();
  });

  it('queues one manual collection per host even when asked twice', async () => {
    const created = await http().post('/api/v1/hosts').send(sshHost()).expect(201);
    const id = created.body.id as string;
    const first = await http().post(`/api/v1/hosts/${id}/collect`).expect(202);
    const second = await http().post(`/api/v1/hosts/${id}/collect`).expect(202);
    expect(second.body.jobId).toBe(first.body.jobId);
    const job = await queue.getJob(first.body.jobId as string);
    expect(job?.data).toMatchObject({ hostId: id, reason: 'manual' });
  });
});
