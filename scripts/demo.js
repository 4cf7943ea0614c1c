#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: memfleet doing its main job on a simulated fleet, from a fresh clone.
 *
 * It installs and builds what is missing, finds Postgres and Redis (or says exactly how to start
 * them), migrates, starts the SSH fleet simulator, the API and the worker, registers the simulated
 * hosts over the REST API and prints where to look. Ctrl-C stops everything.
 *
 * MEMFLEET_DEMO_SECONDS=N runs headless for N seconds, then checks that the fleet endpoints show
 * findings and exits non-zero if they do not (CI runs it that way).
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const net = require('node:net');

const root = path.resolve(__dirname, '..');
const demoDir = path.join(root, '.demo');
const headlessSeconds = Number(process.env.MEMFLEET_DEMO_SECONDS || 0);
const port = Number(process.env.PORT || 3000);
const api = `http://127.0.0.1:${port}`;
const children = [];

const say = (msg) => process.stdout.write(`[demo] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`[demo] ${msg}\n`);
  shutdown(1);
};

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status})`);
}

function newest(dir) {
  let latest = 0;
  const walk = (d) => {
    for (const entry of require('node:fs').readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') walk(p);
      } else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return latest;
}

function needsBuild() {
  const marker = path.join(root, 'dist/apps/api/src/main.js');
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return ['apps', 'libs', 'tools'].some((d) => newest(path.join(root, d)) > built);
}

/** The demo's own encryption key, kept in .demo/ (git-ignored), so restarts can read old hosts. */
function demoSecretKeys() {
  if (process.env.MEMFLEET_SECRET_KEYS) return process.env.MEMFLEET_SECRET_KEYS;
  const file = path.join(demoDir, 'secret-keys');
  if (!existsSync(file)) {
    mkdirSync(demoDir, { recursive: true });
    writeFileSync(file, `demo:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

function reachable(url, defaultPort) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

const HOW_TO_START = {
  postgres: [
    'docker compose up -d postgres      # with Docker, from this directory',
    'sudo apt-get install -y postgresql && sudo pg_ctlcluster $(ls /etc/postgresql) main start',
  ],
  redis: [
    'docker compose up -d redis',
    'sudo apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1',
  ],
};

async function ensureService(name, url, defaultPort, startCmd) {
  if (await reachable(url, defaultPort)) return;
  if (startCmd && process.getuid && process.getuid() === 0) {
    say(`${name} is not answering at ${url}; starting the local one`);
    spawnSync('bash', ['-c', startCmd], { stdio: 'inherit' });
    for (let i = 0; i < 20 && !(await reachable(url, defaultPort)); i++) await sleep(500);
    if (await reachable(url, defaultPort)) return;
  }
  fail(
    `${name} is not reachable at ${url}. Start it with one of:\n  ${HOW_TO_START[name].join('\n  ')}\n` +
      `or point ${name === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL'} at yours.`,
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(name, args, env, onStdout) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = require('node:fs').createWriteStream(path.join(demoDir, `${name}.log`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  if (onStdout) child.stdout.on('data', onStdout);
  child.on('exit', (code, signal) => {
    if (!stopping) fail(`${name} exited (${signal || code}); see .demo/${name}.log`);
  });
  children.push(child);
  return child;
}

async function http(method, url, body) {
  const res = await fetch(`${api}${url}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(code);
  }, 10000);
  force.unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))),
  ).then(() => process.exit(code));
}

const SCENARIOS = [
  'healthy',
  'rsync',
  'leak',
  'fragmenting',
  'healthy',
  'rsync',
  'flaky',
  'hostkey-change',
];

async function main() {
  mkdirSync(demoDir, { recursive: true });
  if (!existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
    say('installing dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (needsBuild()) {
    say('building (npm run build)');
    run('npm', ['run', 'build']);
  }
  const env = {
    DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/memfleet',
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    MEMFLEET_SECRET_KEYS: demoSecretKeys(),
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  };
  await ensureService(
    'postgres',
    env.DATABASE_URL,
    5432,
    existsSync('/etc/postgresql')
      ? 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main start'
      : null,
  );
  await ensureService(
    'redis',
    env.REDIS_URL,
    6379,
    spawnSync('which', ['redis-server']).status === 0
      ? 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
      : null,
  );
  say('migrating the database (npm run db:migrate)');
  run('npm', ['run', 'db:migrate'], env);

  say(`starting a simulated fleet of ${SCENARIOS.length} SSH hosts`);
  const spec = SCENARIOS.map((scenario, i) => ({
    name: `demo-${String(i + 1).padStart(2, '0')}-${scenario}`,
    scenario,
    auth: 'password',
    ...(scenario === 'hostkey-change' ? { hostKeyChangeAfter: 4 } : {}),
  }));
  writeFileSync(path.join(demoDir, 'fleet-spec.json'), JSON.stringify(spec));
  let simOut = '';
  const simReady = new Promise((resolve) => {
    start(
      'fleet-sim',
      [
        'dist/tools/fleet-sim/src/main.js',
        '--spec',
        path.join(demoDir, 'fleet-spec.json'),
        '--base-port',
        process.env.MEMFLEET_DEMO_SIM_PORT || '22200',
        '--time-scale',
        process.env.MEMFLEET_DEMO_TIME_SCALE || '60',
        '--key-dir',
        path.join(demoDir, 'sim-keys'),
      ],
      {},
      (chunk) => {
        simOut += chunk;
        try {
          resolve(JSON.parse(simOut).hosts);
        } catch {
          /* not complete yet */
        }
      },
    );
  });
  const simHosts = await simReady;

  say('starting the API and the worker');
  start('api', ['dist/apps/api/src/main.js'], env);
  start('worker', ['dist/apps/worker/src/main.js'], env);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${api}/health/live`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 60) fail('the API did not answer /health/live within 30 s; see .demo/api.log');
    await sleep(500);
  }

  say('registering the simulated hosts');
  for (const h of simHosts) {
    const body = {
      name: h.name,
      address: h.address,
      port: h.port,
      username: h.username,
      auth: { type: 'password', password: h.password },
      useSudo: true,
      labels: { env: 'demo', scenario: h.scenario },
      intervalSeconds: 10,
    };
    const r = await http('POST', '/api/v1/hosts', body);
    if (r.status === 409) {
      const existing = await http('GET', `/api/v1/hosts?labels[env]=demo&limit=500`);
      const old = existing.body.items.find((x) => x.name === h.name);
      // A previous demo registered it: bring it in line with this run's simulator.
      const changes = { ...body };
      delete changes.name;
      await http('PATCH', `/api/v1/hosts/${old.id}`, { ...changes, hostKey: { policy: 'tofu' } });
      if (old.state === 'host_key_mismatch')
        await http('POST', `/api/v1/hosts/${old.id}/trust-host-key`);
    } else if (r.status !== 201) {
      fail(`registering ${h.name} failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  process.stdout.write(`
memfleet is running on a simulated fleet (logs in .demo/*.log).
  API             ${api}/api/v1
  OpenAPI / docs  ${api}/api/openapi.json   ${api}/api/docs
  health          ${api}/health/ready

Try (findings appear within about two minutes: the simulator runs 60x faster than real time):
  curl -s ${api}/api/v1/hosts | jq '.items[] | {name, state, lastError}'
  curl -s ${api}/api/v1/fleet/summary | jq
  curl -s '${api}/api/v1/fleet/findings' | jq
  curl -s '${api}/api/v1/fleet/fragmentation?order=4' | jq
  npx memfleet inspect            # this machine, no server needed

Ctrl-C stops everything.
`);

  process.once('SIGINT', () => shutdown(0));
  process.once('SIGTERM', () => shutdown(0));
  if (headlessSeconds > 0) {
    await sleep(headlessSeconds * 1000);
    const hosts = await http('GET', '/api/v1/hosts?labels[env]=demo&limit=500');
    const findings = await http('GET', '/api/v1/fleet/findings');
    const kinds = new Set(
      (findings.body?.items || []).flatMap((h) => (h.findings || []).map((f) => f.kind)),
    );
    const states = hosts.body.items.map((h) => `${h.name}=${h.state}`).join(' ');
    say(`hosts: ${states}`);
    say(`finding kinds across the fleet: ${[...kinds].join(', ') || 'none'}`);
    const collected = hosts.body.items.filter((h) => h.lastSuccessAt).length;
    shutdown(collected >= 4 && findings.status === 200 && kinds.size > 0 ? 0 : 1);
  }
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
