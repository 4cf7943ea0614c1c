import { failed, ok, type Parsed } from './parse-result';
import { Scanner, numberProblem } from './scan';
import { readNodeZone } from './node-zone';
import type { Zoneinfo, ZoneinfoNodeStats, ZoneinfoZone } from './types';

type Counters = Record<string, number>;

interface ZoneDraft {
  node: number;
  zone: string;
  freePages?: number;
  min?: number;
  low?: number;
  high?: number;
  spanned?: number;
  present?: number;
  managed?: number;
  protection?: number[];
  counters: Counters;
}

/**
 * /proc/zoneinfo, every layout seen from 2.6.16 to 6.x:
 * - per zone: `Node N, zone NAME`, `pages free N`, watermarks `min/low/high`, `spanned/present/
 *   managed`, `protection: (a, b, ...)`, then `name value` counters and `name: value` lines
 *   (start_pfn, node_unreclaimable, all_unreclaimable...). Pageset detail (cpu/count/high/batch,
 *   `vm stats threshold`) is per CPU and skipped.
 * - >= 4.8: a `per-node stats` block under the node's first zone. Those counters are node-wide, so
 *   they go to `nodeStats`, not to that zone (procfs and node_exporter attribute them to the zone;
 *   we do not, so summing zones never double-counts).
 * - Empty zones print only `pages free`, watermarks and protection: absent counters stay absent.
 * - RHEL 8.0 kernels print one per-node value without a name; it cannot be attributed and is skipped.
 */
export function parseZoneinfo(text: string, file = '/proc/zoneinfo'): Parsed<Zoneinfo> {
  const s = new Scanner(text);
  if (s.end === 0)
    return failed(
      file,
      1,
      'empty: zoneinfo is world-readable, so an empty read means a broken capture',
    );
  const zones: ZoneinfoZone[] = [];
  const nodeStats: ZoneinfoNodeStats[] = [];
  let zone: ZoneDraft | undefined;
  let nodeCounters: Counters | undefined;
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    if (s.pos === s.lineStart) {
      const head = readNodeZone(s);
      if (typeof head === 'string') return failed(file, s.line, head);
      if (!s.isLineBlank())
        return failed(file, s.line, `unexpected text after the zone name: ${s.lineText()}`);
      if (zone) zones.push(zone);
      zone = { node: head.node, zone: head.zone, counters: Object.create(null) as Counters };
      nodeCounters = undefined;
      continue;
    }
    if (!zone) return failed(file, s.line, `expected 'Node N, zone NAME' first: ${s.lineText()}`);
    const c0 = s.peek();
    if (c0 >= 48 && c0 <= 57) continue; // nameless value (RHEL 8.0 vmstat_text off by one)
    if (isPagesetDetail(s, c0)) continue;
    const key = s.token();
    if (key === 'per-node') {
      if (!s.accept('stats')) return failed(file, s.line, `unexpected line: ${s.lineText()}`);
      const counters = Object.create(null) as Counters;
      nodeStats.push({ node: zone.node, counters });
      nodeCounters = counters;
      continue;
    }
    if (key === 'pages') {
      if (!s.accept('free')) return failed(file, s.line, `unexpected line: ${s.lineText()}`);
      const v = s.uint();
      if (v < 0) return failed(file, s.line, numberProblem(v, 'pages free'));
      zone.freePages = v;
      nodeCounters = undefined;
      continue;
    }
    if (key === 'pagesets') continue;
    if (key === 'protection:') {
      const protection = readProtection(s);
      if (typeof protection === 'string') return failed(file, s.line, protection);
      zone.protection = protection;
      continue;
    }
    const name = key.endsWith(':') ? key.slice(0, -1) : key;
    const v = s.uint();
    if (v < 0) return failed(file, s.line, numberProblem(v, `value of ${name}`));
    // `scanned  0 (a: 0 i: 0)` (2.6.16) is the only line with text after the value.
    if (!s.isLineBlank() && s.peek() !== 40 /* ( */) {
      return failed(file, s.line, `unexpected text after the value of ${name}: ${s.lineText()}`);
    }
    if (nodeCounters) {
      nodeCounters[name] = v;
      continue;
    }
    switch (name) {
      case 'min':
        zone.min = v;
        break;
      case 'low':
        zone.low = v;
        break;
      case 'high':
        zone.high = v;
        break;
      case 'spanned':
        zone.spanned = v;
        break;
      case 'present':
        zone.present = v;
        break;
      case 'managed':
        zone.managed = v;
        break;
      default:
        zone.counters[name] = v;
    }
  }
  if (zone) zones.push(zone);
  if (zones.length === 0) return failed(file, s.line, 'no zones');
  return ok({ zones, nodeStats });
}

function readProtection(s: Scanner): number[] | string {
  if (!s.accept('(')) return `expected 'protection: (a, b, ...)': ${s.lineText()}`;
  const values: number[] = [];
  for (;;) {
    const v = s.digits();
    if (v < 0) return numberProblem(v, `protection[${values.length}]`);
    values.push(v);
    if (s.accept(')')) break;
    if (!s.accept(',')) return `expected ',' or ')' in protection: ${s.lineText()}`;
  }
  if (!s.isLineBlank()) return `unexpected text after protection: ${s.lineText()}`;
  return values;
}

/**
 * `cpu:`, `count:`, `high:`, `batch:`, `vm stats threshold:`: one CPU's pageset, not the zone.
 * Checked on bytes because these are a third of the lines on a small host and more on a big one.
 */
function isPagesetDetail(s: Scanner, c0: number): boolean {
  const b = s.b;
  const p = s.pos;
  switch (c0) {
    case 99 /* c */:
      return (b[p + 1] === 112 && b[p + 3] === 58) || (b[p + 1] === 111 && b[p + 5] === 58);
    case 104 /* h */:
      return b[p + 4] === 58;
    case 98 /* b */:
      return b[p + 5] === 58;
    case 118 /* v */:
      return b[p + 1] === 109 && b[p + 2] === 32;
    default:
      return false;
  }
}
