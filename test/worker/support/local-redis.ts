import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How CI starts the shared local Redis; restarting it the same way keeps other suites working. */
const REDIS_SERVER_ARGS = [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '-::1',
  '--port',
  '6379',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  '/var/lib/redis',
  '--logfile',
  '/var/log/redis/ci.log',
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function redisIsUp(): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', 'ping'], { timeout: 2_000 });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

export async function startRedis(): Promise<void> {
  if (await redisIsUp()) return;
  await run('redis-server', REDIS_SERVER_ARGS);
  for (let i = 0; i < 100; i += 1) {
    if (await redisIsUp()) return;
    await sleep(50);
  }
  throw new Error('redis-server did not answer PING within 5 s');
}

/** Stops the local Redis without saving; everything in it is gone, as after a crash. */
export async function stopRedis(): Promise<void> {
  await run('redis-cli', ['-h', '127.0.0.1', 'shutdown', 'nosave']).catch(() => undefined);
  for (let i = 0; i < 100; i += 1) {
    if (!(await redisIsUp())) return;
    await sleep(50);
  }
  throw new Error('redis-server still answers after shutdown');
}

/**
 * Runs `during` while Redis is down for `downMs`, and always brings Redis back, even when
 * `during` throws: other suites share this server.
 */
export async function withRedisDown<T>(downMs: number, during: () => Promise<T>): Promise<T> {
  await stopRedis();
  try {
    const [result] = await Promise.all([during(), sleep(downMs)]);
    return result;
  } finally {
    await startRedis();
  }
}
