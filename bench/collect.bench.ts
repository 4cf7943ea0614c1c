/**
 * The collection pipeline at fleet scale, against OpenSSH doing the same fetch.
 *
 *   npm run bench:collect [-- --hosts 200 --interval 5 --duration 60]
 *
 * (1) Pipeline: the fleet simulator (its own process, so its CPU is not counted) serves N hosts;
 *     the real worker (WorkerModule, in this process) collects each every `interval` seconds for
 *     `duration` seconds after a warm-up. Reports the worker's CPU per stored snapshot
 *     (process.cpuUsage: ssh2, parse, BullMQ, Prisma, all of it), snapshots/s, missed intervals
 *     and bytes on disk per snapshot.
 * (2) Ingest: snapshots collected from the simulator, written with ingestMany in batches.
 * (3) Baseline: OpenSSH fetching the same output: a new `ssh` per snapshot, then `ssh` over a
 *     ControlMaster. Client CPU comes from the kernel's accounting of reaped children
 *     (/proc/self/stat cutime + cstime), which includes the master processes once they exit.
 * Goals: <= 1 ms worker CPU per snapshot, 0 missed intervals, <= 2 KB/snapshot, >= 2,000 ingest/s.
 * Uses its own database (memfleet_bench) and Redis DB 9; both are emptied at start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { COLLECT_COMMAND_SUDO, SshCollector } from '@memfleet/collector';
import { loadConfig } from '@memfleet/config';
import { createPrismaClient, PrismaHostRepository, PrismaSnapshotRepository } from '@memfleet/db';
import { parseBundle } from '@memfleet/procfs';
import { QUEUE, redisOptions } from '@memfleet/queue';
import { Queue } from 'bullmq';
import { SecretBox } from '@memfleet/secrets';
import { createLogger } from '../apps/worker/src/logger';
import { WorkerModule } from '../apps/worker/src/worker.module';

const ROOT = join(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '200' },
    interval: { type: 'string', default: '5' },
    duration: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '100' },
    // Which parts to run, comma-separated: pipeline, ingest, openssh.
    phases: { type: 'string', default: 'pipeline,ingest,openssh' },
    // Write a V8 CPU profile of the worker over the measured window (open in Chrome DevTools).
    'cpu-profile': { type: 'string' },
  },
});
const HOSTS = Number(args.hosts);
const INTERVAL_S = Number(args.interval);
const DURATION_S = Math.ceil(Number(args.duration) / INTERVAL_S) * INTERVAL_S;
const PHASES = new Set(args.phases.split(','));
const DB_URL = 'postgres://postgres@127.0.0.1:5432/memfleet_bench';
const REDIS_URL = 'redis://127.0.0.1:6379/9';
const KEY_DIR = '/tmp/memfleet-bench-sim';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 2) => n.toFixed(digits);

interface SimHost {
  name: string;
  address: string;
  port: number;
  username: string;
  privateKey: string;
}

async function startSimulator(): Promise<{ hosts: SimHost[]; child: ChildProcess }> {
  rmSync(KEY_DIR, { recursive: true, force: true });
  mkdirSync(KEY_DIR, { recursive: true });
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/fleet-sim/src/main.ts', '--hosts', String(HOSTS)].concat([
      '--scenarios',
      'healthy,rsync,leak,fragmenting',
      '--key-dir',
      KEY_DIR,
    ]),
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    out += chunk.toString('utf8');
    try {
      return { hosts: (JSON.parse(out) as { hosts: SimHost[] }).hosts, child };
    } catch {
      // The JSON document is not complete yet.
    }
  }
  throw new Error('fleet simulator exited before listing its hosts');
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: DB_URL });
  await pg.connect();
  try {
    return (await pg.query(query, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

/** Fresh database and Redis DB, and one host row per simulated host. */
async function prepare(sim: SimHost[], box: SecretBox): Promise<string[]> {
  const migrate = spawnSync(process.execPath, ['scripts/db-migrate.js'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: DB_URL },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`);
  await sql('TRUNCATE host CASCADE');
  const redis = new Redis(redisOptions(REDIS_URL, 'worker'));
  await redis.flushdb();
  await redis.quit();
  const prisma = createPrismaClient(DB_URL, { poolSize: 4 });
  const repo = new PrismaHostRepository(prisma);
  const ids: string[] = [];
  for (const h of sim) {
    const host = await repo.create({
      ...{ name: h.name, collection: 'ssh', address: h.address, port: h.port },
      ...{ username: h.username, authType: 'privateKey', useSudo: true, labels: {} },
      ...{ authSecret: box.encrypt({ privateKey: h.privateKey }), intervalSeconds: INTERVAL_S },
      ...{ enabled: true, hostKeyPolicy: 'tofu', hostKeyFingerprint: null },
    });
    ids.push(host.id);
  }
  await prisma.$disconnect();
  return ids;
}

/** Starts the V8 profiler in this process; the returned function stops it and gives the JSON. */
async function startProfile(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    return JSON.stringify(profile);
  };
}

async function pipeline(key: Buffer): Promise<void> {
  const base = loadConfig({
    DATABASE_URL: DB_URL,
    REDIS_URL,
    MEMFLEET_SECRET_KEYS: `b1:${key.toString('base64')}`,
    LOG_LEVEL: 'error',
  });
  const config = { ...base, worker: { concurrency: Number(args.concurrency) } };
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, createLogger(config.logLevel)),
    { logger: false },
  );
  await sleep(2 * INTERVAL_S * 1_000); // warm-up: connections opened, JIT settled
  const t0 = new Date();
  const profiler = args['cpu-profile'] ? await startProfile() : undefined;
  const cpu0 = process.cpuUsage();
  await sleep(DURATION_S * 1_000);
  const cpu = process.cpuUsage(cpu0);
  if (profiler) writeFileSync(args['cpu-profile'] as string, await profiler());
  const t1 = new Date();
  await app.close();
  const queue = new Queue(QUEUE.collect, { connection: redisOptions(REDIS_URL, 'worker') });
  const failed = await queue.getFailedCount();
  // The last 1,000 completed jobs (removeOnComplete keeps that many): duration and skips.
  const done = await queue.getCompleted(0, -1);
  await queue.close();
  const ms = done.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)).sort((a, b) => a - b);
  const pct = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  const skipped = done.filter((j) => j.returnvalue?.outcome === 'skipped').length;

  const [counts] = await sql<{ n: string }>(
    'SELECT count(*) AS n FROM snapshot WHERE received_at >= $1 AND received_at < $2',
    [t0, t1],
  );
  const perHost = await sql<{ n: string }>(
    `SELECT count(s.id) AS n FROM host h LEFT JOIN snapshot s
       ON s.host_id = h.id AND s.received_at >= $1 AND s.received_at < $2 GROUP BY h.id`,
    [t0, t1],
  );
  const stored = Number(counts?.n ?? 0);
  const expected = DURATION_S / INTERVAL_S;
  const missed = perHost.reduce((sum, r) => sum + Math.max(0, expected - Number(r.n)), 0);
  const [size] = await sql<{ snap: string; dict: string; n: string }>(
    `SELECT pg_total_relation_size('snapshot') AS snap,
            pg_total_relation_size('snapshot_dictionary') AS dict,
            (SELECT count(*) FROM snapshot) AS n`,
  );
  const all = Number(size?.n ?? 1);
  const cpuMs = (cpu.user + cpu.system) / 1_000;
  console.log(`\n(1) pipeline: ${HOSTS} hosts every ${INTERVAL_S} s for ${DURATION_S} s`);
  console.log(`  snapshots stored        ${stored} (${fmt(stored / DURATION_S, 1)}/s)`);
  console.log(
    `  worker CPU / snapshot   ${fmt(cpuMs / stored, 3)} ms  (user ${fmt(cpu.user / 1e3 / stored, 3)}, sys ${fmt(cpu.system / 1e3 / stored, 3)})`,
  );
  console.log(
    `  worker CPU share        ${fmt((100 * cpuMs) / (DURATION_S * 1_000), 1)} % of one core`,
  );
  console.log(`  missed intervals        ${missed} of ${expected * HOSTS}; failed jobs ${failed}`);
  console.log(
    `  job time (last ${ms.length}) p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; skipped ${skipped}`,
  );
  console.log(
    `  bytes / snapshot        ${fmt(Number(size?.snap) / all, 0)} (table+indexes+toast, ${all} rows); +dictionary ${fmt((Number(size?.snap) + Number(size?.dict)) / all, 0)}`,
  );
}

async function ingest(sim: SimHost[], rounds: number): Promise<void> {
  const collector = new SshCollector({ readyTimeoutMs: 10_000, commandTimeoutMs: 30_000 });
  const batches = [];
  for (let r = 0; r < rounds; r += 1) {
    const results = await Promise.all(
      sim.map((h) =>
        collector.collect({
          hostId: h.name,
          ...{ address: h.address, port: h.port, username: h.username, useSudo: true },
          auth: { type: 'privateKey', privateKey: h.privateKey },
          hostKey: { policy: 'tofu', fingerprint: null },
        }),
      ),
    );
    batches.push(results.map((c) => parseBundle(c.bundle)));
    await sleep(1_000);
  }
  await collector.closeAll();
  await sql('TRUNCATE host CASCADE');
  const hostIds = await prepare(sim, new SecretBox([{ id: 'x', key: Buffer.alloc(32) }]));
  const prisma = createPrismaClient(DB_URL, { poolSize: 4 });
  const repo = new PrismaSnapshotRepository(prisma);
  const start = performance.now();
  let n = 0;
  for (const [r, parsed] of batches.entries()) {
    const receivedAt = new Date(Date.now() + r);
    await repo.ingestMany(
      parsed.map((p, i) => ({ hostId: hostIds[i] as string, parsed: p, receivedAt })),
    );
    n += parsed.length;
  }
  const s = (performance.now() - start) / 1_000;
  await prisma.$disconnect();
  console.log(
    `\n(2) ingest: ${n} snapshots in batches of ${sim.length}: ${fmt(n / s, 0)} snapshots/s`,
  );
}

/** CPU (ms) of every reaped child of this process so far: utime+stime of the dead children. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16, 17)
  return (ticks * 1_000) / 100; // CLK_TCK is 100 on Linux
}

const SSH_OPTS = ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no'].concat([
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'LogLevel=ERROR',
  '-i',
  join(KEY_DIR, 'client_ed25519'),
]);

function run(cmd: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const c = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'ignore'] });
    c.once('exit', (code) => resolve(code ?? -1));
  });
}

async function inParallel<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function openssh(sim: SimHost[], perMaster: number): Promise<void> {
  const target = (h: SimHost) => ['-p', String(h.port), `${h.username}@${h.address}`];
  let cpu0 = childrenCpuMs();
  await inParallel(sim, 20, (h) => run('ssh', [...SSH_OPTS, ...target(h), COLLECT_COMMAND_SUDO]));
  const plain = (childrenCpuMs() - cpu0) / sim.length;

  const sock = (h: SimHost) => join(KEY_DIR, `cm-${h.port}`);
  cpu0 = childrenCpuMs();
  const masters = sim.map((h) =>
    spawn('ssh', [...SSH_OPTS, '-M', '-N', '-S', sock(h), ...target(h)], { stdio: 'ignore' }),
  );
  await sleep(3_000);
  const jobs = sim.flatMap((h) => Array.from({ length: perMaster }, () => h));
  await inParallel(jobs, 20, (h) =>
    run('ssh', [...SSH_OPTS, '-S', sock(h), ...target(h), COLLECT_COMMAND_SUDO]),
  );
  const clients = childrenCpuMs() - cpu0;
  await Promise.all(masters.map((m) => new Promise((r) => (m.once('exit', r), m.kill('SIGTERM')))));
  const total = childrenCpuMs() - cpu0;
  console.log(`\n(3) OpenSSH baseline (same simulator, same command)`);
  console.log(
    `  new ssh per snapshot    ${fmt(plain, 2)} ms CPU / snapshot (${sim.length} snapshots)`,
  );
  console.log(
    `  ControlMaster           ${fmt(total / jobs.length, 2)} ms CPU / snapshot (clients ${fmt(clients / jobs.length, 2)} + masters ${fmt((total - clients) / jobs.length, 2)}; ${perMaster} execs per master)`,
  );
}

async function main(): Promise<void> {
  const { hosts: sim, child } = await startSimulator();
  try {
    const key = Buffer.alloc(32, 7);
    await prepare(sim, new SecretBox([{ id: 'b1', key }]));
    if (PHASES.has('pipeline')) await pipeline(key);
    if (PHASES.has('ingest')) await ingest(sim, 10);
    if (PHASES.has('openssh')) await openssh(sim, 10);
    console.log('\ngoals: <= 1 ms CPU/snapshot, 0 missed, <= 2048 B/snapshot, >= 2000 ingest/s');
  } finally {
    child.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => (console.error(err), process.exit(1)),
);
