import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A redis-server of the spec's own, on its own port, that the spec may stop and start at will.
 * Restarting the shared Redis on 6379 instead would pull the connections (and, with no
 * persistence, the data) out from under every other suite running at the same time.
 * Like the CI Redis it keeps nothing on disk, so a restart loses every key, as after a crash.
 */
export class PrivateRedis {
  private readonly dir: string;

  constructor(readonly port: number) {
    this.dir = `/tmp/memfleet-worker-redis-${port}`;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async isUp(): Promise<boolean> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), 'ping'], {
        timeout: 2_000,
      });
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    if (await this.isUp()) return;
    mkdirSync(this.dir, { recursive: true });
    await run('redis-server', [
      ...['--port', String(this.port), '--bind', '127.0.0.1', '--daemonize', 'yes'],
      ...['--save', '', '--appendonly', 'no', '--dir', this.dir],
      ...['--pidfile', `${this.dir}/redis.pid`, '--logfile', `${this.dir}/redis.log`],
    ]);
    for (let i = 0; i < 100; i += 1) {
      if (await this.isUp()) return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} did not answer PING within 5 s`);
  }

  /** Stops without saving; every key is gone. */
  async stop(): Promise<void> {
    await run('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave']).catch(() => undefined);
    for (let i = 0; i < 100; i += 1) {
      if (!(await this.isUp())) return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} still answers after shutdown`);
  }

  /** Down for `downMs`, then up again, even if the wait is interrupted. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    try {
      await sleep(downMs);
    } finally {
      await this.start();
    }
  }
}
