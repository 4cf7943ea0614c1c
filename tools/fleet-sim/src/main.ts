import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFleetSim } from './fleet-sim';
import { SCENARIOS, isScenario, type ScenarioName } from './scenario';
import type { SimAuthMode, VirtualHostSpec } from './virtual-host';

/**
 * CLI: starts the simulator and prints its hosts as JSON on stdout (one document), then serves
 * until SIGINT/SIGTERM.
 *
 *   node -r @swc-node/register tools/fleet-sim/src/main.ts --hosts 8 --base-port 22000 \
 *     --scenarios healthy,rsync,leak,fragmenting --time-scale 60
 *
 * `--spec hosts.json` takes a JSON array of host specs ({name, scenario, port?, auth?, sudo?,
 * hostKeyChangeAfter?, dropProbability?}) instead of --hosts/--scenarios. SIGUSR2 makes every
 * host present its other host key and prints the new fingerprints on stderr.
 */
const USAGE = `usage: fleet-sim [--hosts N] [--scenarios a,b,...] | [--spec hosts.json]
                 [--base-port P] [--time-scale X]
                 [--bind ADDR] [--username NAME] [--key-dir DIR] [--auth password|publickey|both]
scenarios (assigned round-robin): ${SCENARIOS.join(', ')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '8' },
      scenarios: { type: 'string', default: 'healthy,rsync,leak,fragmenting' },
      'base-port': { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      bind: { type: 'string', default: '127.0.0.1' },
      username: { type: 'string', default: 'memfleet' },
      'key-dir': { type: 'string' },
      auth: { type: 'string', default: 'both' },
      spec: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const count = Number(values.hosts);
  const scenarios = values.scenarios.split(',').map((s) => s.trim());
  const bad = scenarios.filter((s) => !isScenario(s));
  const auth = values.auth;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    bad.length > 0 ||
    !['password', 'publickey', 'both'].includes(auth)
  ) {
    process.stderr.write(`${bad.length ? `unknown scenarios: ${bad.join(', ')}\n` : ''}${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const hosts: VirtualHostSpec[] = values.spec
    ? (JSON.parse(readFileSync(values.spec, 'utf8')) as VirtualHostSpec[])
    : Array.from({ length: count }, (_, i) => ({
        name: `sim-${String(i + 1).padStart(3, '0')}`,
        scenario: scenarios[i % scenarios.length] as ScenarioName,
        auth: auth as SimAuthMode,
      }));
  const sim = await startFleetSim({
    hosts,
    basePort: values['base-port'] === undefined ? undefined : Number(values['base-port']),
    timeScale: Number(values['time-scale']),
    bindAddress: values.bind,
    username: values.username,
    keyDir: values['key-dir'],
  });
  process.stdout.write(`${JSON.stringify({ hosts: sim.hosts }, null, 2)}\n`);
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.on('SIGUSR2', () => {
    const rotated = sim.hosts.map((h) => ({
      name: h.name,
      hostKeyFingerprint: sim.rotateHostKey(h.name),
    }));
    process.stderr.write(`${JSON.stringify({ rotated })}\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`fleet-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
