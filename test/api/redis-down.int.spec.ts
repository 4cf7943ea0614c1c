import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';

/** Nothing listens on port 1: every Redis call fails. */
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1/0' });
});
afterAll(() => api.close());

const http = () => request(api.url);

describe('with Redis down', () => {
  it('is live but not ready', async () => {
    await http().get('/health/live').expect(200);
    const res = await http().get('/health/ready').expect(503);
    expect(res.body.type).toBe('urn:memfleet:problem:queue-unavailable');
  });

  it('still saves hosts (the worker reconciles schedules later)', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send({
        name: uniqueName('nored'),
        address: '10.0.0.1',
        username: 'u',
        auth: { type: 'password', password: 'p' },
      })
      .expect(201);
    expect(res.body.state).toBe('never_collected');
  });

  it('answers collect with a 503 problem that carries an error id and no internals', async () => {
    const host = await http()
      .post('/api/v1/hosts')
      .send({
        name: uniqueName('nored'),
        address: '10.0.0.1',
        username: 'u',
        auth: { type: 'password', password: 'p' },
      })
      .expect(201);
    const res = await http()
      .post(`/api/v1/hosts/${host.body.id as string}/collect`)
      .expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:memfleet:problem:queue-unavailable',
      status: 503,
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(res.text).not.toMatch(/\bat \S+ \(|ECONNREFUSED|127\.0\.0\.1|ioredis|stack/i);
  });
});
