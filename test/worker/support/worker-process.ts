import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** A worker started exactly as `npm run start:worker` starts it, but from the TypeScript sources. */
export class WorkerProcess {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps/worker/src/main.ts')],
      {
        cwd: ROOT,
        env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let buffered = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => this.lines.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Log records (pino JSON) whose msg is `msg`. */
  records(msg: string): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        const rec = JSON.parse(line) as Record<string, unknown>;
        return rec.msg === msg ? [rec] : [];
      } catch {
        return [];
      }
    });
  }

  async waitFor(msg: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.records(msg).length === 0) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`worker never logged "${msg}":\n${this.lines.slice(-20).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM, then the exit code; SIGKILL if it has not exited in time. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
