import { redisOptions } from './redis-connection';

describe('redisOptions', () => {
  it('gives worker connections unlimited retries per request, as BullMQ workers require', () => {
    expect(redisOptions('redis://127.0.0.1:6379', 'worker').maxRetriesPerRequest).toBeNull();
  });

  it('makes producer connections fail fast instead of queueing commands while Redis is down', () => {
    const o = redisOptions('redis://127.0.0.1:6379', 'producer');
    expect(o.maxRetriesPerRequest).toBe(1);
    expect(o.enableOfflineQueue).toBe(false);
  });

  it('reads host, port, database index, credentials and TLS from the URL', () => {
    const o = redisOptions('rediss://user:p%40ss@[::1]:6380/3', 'worker');
    expect(o).toMatchObject({ host: '::1', port: 6380, db: 3, username: 'user', password: 'p@ss' });
    expect(o.tls).toEqual({});
    expect(redisOptions('redis://localhost', 'worker')).toMatchObject({ port: 6379, db: 0 });
  });

  it('rejects a URL path that is not a database index', () => {
    expect(() => redisOptions('redis://localhost/cache', 'worker')).toThrow(/database index/);
  });
});
