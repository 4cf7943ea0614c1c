/**
 * Parse cost of one full snapshot bundle vs JSON.parse of the same bundle's JSON text.
 * Target: parse <= 2x JSON.parse, and >= 5,000 bundles/s on one core.
 * Run: node -r @swc-node/register bench/procfs-parse.bench.ts
 */
import { decodeBundle, parseBundle } from '@memfleet/procfs';
import { sampleBundle } from '../libs/procfs/testing/fixtures';

const bundle = sampleBundle(250, 300);
const json = JSON.stringify(bundle);
let sink = 0;

function timePerOp(fn: () => void, minMs = 400): number {
  for (let i = 0; i < 300; i++) fn(); // warm up (JIT)
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs * 1e6) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - t0);
  }
  return elapsed / n / 1000; // µs
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const rounds = 5;
const jsonUs: number[] = [];
const parseUs: number[] = [];
const ingestUs: number[] = [];
for (let r = 0; r < rounds; r++) {
  jsonUs.push(timePerOp(() => (sink += (JSON.parse(json) as { files: object }).files ? 1 : 0)));
  parseUs.push(timePerOp(() => (sink += parseBundle(bundle).slabinfo.kind === 'ok' ? 1 : 0)));
  ingestUs.push(
    timePerOp(() => {
      const d = decodeBundle(JSON.parse(json));
      if (d.kind === 'ok') sink += parseBundle(d.value).vmstat.kind === 'ok' ? 1 : 0;
    }),
  );
}
const j = median(jsonUs);
const p = median(parseUs);
const i = median(ingestUs);
const slab = parseBundle(bundle).slabinfo;
const caches = slab.kind === 'ok' ? slab.value.caches.length : 0;
console.log(`bundle: ${json.length} bytes of JSON, ${caches} slab caches, 300 processes`);
console.log(`JSON.parse(bundle text):          ${j.toFixed(1)} µs`);
console.log(
  `parseBundle(bundle):              ${p.toFixed(1)} µs  -> ${(1e6 / p).toFixed(0)} bundles/s`,
);
console.log(`decodeBundle(JSON.parse) + parse: ${i.toFixed(1)} µs`);
console.log(`ratio parseBundle / JSON.parse:   ${(p / j).toFixed(2)} (target <= 2)`);
if (sink < 0) console.log(sink);
