import { failed, ok, unavailable, type Parsed } from './parse-result';
import { Scanner } from './scan';
import type { SlabAnomaly, SlabCache, Slabinfo, SlabinfoVersion } from './types';

const VERSION_PREFIX = 'slabinfo - version: ';
const VERSIONS: readonly SlabinfoVersion[] = ['2.0', '2.1', '2.1 (statistics)'];
const HAS_TUNABLES = 1;
const HAS_SLABDATA = 2;

/**
 * /proc/slabinfo (SLAB and SLUB). Line format (mm/slab_common.c, cache_show):
 *   name active_objs num_objs objsize objperslab pagesperslab
 *     [: tunables limit batchcount sharedfactor] [: slabdata active_slabs num_slabs sharedavail]
 *     [: globalstat ... : cpustat ...]   (2.1 (statistics), CONFIG_DEBUG_SLAB only; ignored)
 * Version 2.0 labels the tunables `<batchcount> <limit>`, but its seq_printf prints limit first
 * all the same, so values are read in one order for every version.
 *
 * Long names run into the first number after one space; names hold `()`, `-`, `:` and digits.
 * Should a name contain a blank, the five numbers before the first ` :` are taken instead.
 *
 * Impossible combinations (active > total) are kept and listed in `anomalies` instead of failing
 * the file: SLUB gathers these counters without one lock, and one racy or hand-edited line must
 * not hide 250 good caches.
 *
 * This is the largest file of a snapshot (~25 KB), so the number loop works on bytes directly.
 */
export function parseSlabinfo(text: string, file = '/proc/slabinfo'): Parsed<Slabinfo> {
  const s = new Scanner(text);
  if (s.end === 0) {
    return unavailable(
      'empty: /proc/slabinfo is root-only (mode 0400); read it as root or with sudo',
    );
  }
  s.nextLine();
  s.skipSpaces();
  if (!s.accept(VERSION_PREFIX)) {
    return failed(file, s.line, `expected '${VERSION_PREFIX}2.x': ${s.lineText()}`);
  }
  const versionText = text.slice(s.pos, s.lineEnd);
  const version = VERSIONS.find((v) => v === versionText);
  if (version === undefined)
    return failed(file, s.line, `unsupported slabinfo version ${versionText}`);

  const b = s.b;
  const caches: SlabCache[] = [];
  const anomalies: SlabAnomaly[] = [];
  while (s.nextLine()) {
    if (s.isLineBlank() || s.peek() === 35 /* # */) continue;
    const nameStart = s.pos;
    s.skipToken();
    let nameEnd = s.pos;
    const problem = readNumbers(b, nameEnd, s.lineEnd);
    if (problem !== 0) {
      const at = lastFiveNumbers(s);
      if (at < 0 || readNumbers(b, at, s.lineEnd) !== 0) {
        return failed(file, s.line, `${PROBLEMS[problem]}: ${s.lineText()}`);
      }
      nameEnd = at;
      while (nameEnd > nameStart && isSpace(b[nameEnd - 1] as number)) nameEnd--;
    }
    const name = text.slice(nameStart, nameEnd);
    const t = (groups & HAS_TUNABLES) !== 0;
    const d = (groups & HAS_SLABDATA) !== 0;
    const cache: SlabCache = {
      name,
      activeObjs: vals[0] as number,
      numObjs: vals[1] as number,
      objSize: vals[2] as number,
      objPerSlab: vals[3] as number,
      pagesPerSlab: vals[4] as number,
      limit: t ? vals[5] : undefined,
      batchCount: t ? vals[6] : undefined,
      sharedFactor: t ? vals[7] : undefined,
      activeSlabs: d ? vals[8] : undefined,
      numSlabs: d ? vals[9] : undefined,
      sharedAvail: d ? vals[10] : undefined,
    };
    caches.push(cache);
    checkInvariants(cache, s.line, anomalies);
  }
  return ok({ version, caches, anomalies });
}

function checkInvariants(c: SlabCache, line: number, out: SlabAnomaly[]): void {
  const name = c.name;
  if (c.activeObjs > c.numObjs) {
    out.push({ line, name, reason: `active_objs ${c.activeObjs} > num_objs ${c.numObjs}` });
  }
  if (c.activeSlabs === undefined || c.numSlabs === undefined) return;
  if (c.activeSlabs > c.numSlabs) {
    out.push({ line, name, reason: `active_slabs ${c.activeSlabs} > num_slabs ${c.numSlabs}` });
  }
  // SLUB prints the objects of its preferred slab order; fallback slabs hold fewer, never more.
  if (c.numObjs > c.numSlabs * c.objPerSlab) {
    out.push({
      line,
      name,
      reason: `num_objs ${c.numObjs} > num_slabs ${c.numSlabs} x objperslab ${c.objPerSlab}`,
    });
  }
}

/** Scratch for one line: [0..4] head numbers, [5..7] tunables, [8..10] slabdata. A plain array
 * of small integers (Smis) is ~8% faster here than a Float64Array, whose reads box into objects. */
const vals: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** Which optional groups the last readNumbers saw (HAS_TUNABLES | HAS_SLABDATA). */
let groups = 0;

const PROBLEMS = [
  '',
  'a number runs into text',
  'a count exceeds 2^53 - 1',
  'expected five numbers after the name, then groups of three',
  'unexpected text where a number or a group was expected',
  'empty group label',
];

/**
 * Reads the numbers after a cache name into `vals`, from byte p to the end of line e. Returns 0,
 * or an index into PROBLEMS. Kept small on purpose: V8 then inlines it into the line loop.
 */
function readNumbers(b: Uint8Array, p: number, e: number): number {
  let base = 0;
  let want = 5;
  let k = 0;
  let skipping = false;
  groups = 0;
  for (;;) {
    // No bound test: past e there are only blanks, then a CR, NUL or newline (see bytesOf).
    let c = b[p] as number;
    while (c === 32 || c === 9) c = b[++p] as number;
    if (p >= e) break;
    if (c >= 48 && c <= 57) {
      const start = p;
      let v = 0;
      do {
        v = v * 10 + (c - 48);
        c = b[++p] as number; // may read the blank or newline after e (see bytesOf)
      } while (c >= 48 && c <= 57);
      if (p < e && c !== 32 && c !== 9) return 1;
      if (p - start > 15 && v > Number.MAX_SAFE_INTEGER) return 2;
      if (!skipping) {
        if (k === want) return 3;
        vals[base + k] = v;
      }
      k++;
      continue;
    }
    if (c !== 58 /* : */) return 4;
    if (!skipping && k !== want) return 3;
    p++;
    while (p < e && (b[p] === 32 || b[p] === 9)) p++;
    const labelStart = p;
    while (p < e && b[p] !== 32 && b[p] !== 9) p++;
    if (p === labelStart) return 5;
    // The kernel prints four labels: tunables, slabdata, globalstat, cpustat (the last two only
    // with CONFIG_DEBUG_SLAB; skipped). Length plus first and last byte tell them apart, and this
    // runs twice per cache line, so no slice and no full compare.
    skipping = true;
    if (p - labelStart === 8) {
      const first = b[labelStart];
      const last = b[p - 1];
      if (first === 116 /* t */ && last === 115 /* s */) {
        base = 5;
        groups |= 1; // HAS_TUNABLES
        skipping = false;
      } else if (first === 115 /* s */ && last === 97 /* a */) {
        base = 8;
        groups |= 2; // HAS_SLABDATA
        skipping = false;
      }
    }
    k = 0;
    want = 3;
  }
  return !skipping && k !== want ? 3 : 0;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Start of the last five blank-separated numbers before the first ' :' (or end of line), or -1. */
function lastFiveNumbers(s: Scanner): number {
  let headEnd = s.text.indexOf(' :', s.lineStart);
  if (headEnd < 0 || headEnd > s.lineEnd) headEnd = s.lineEnd;
  let p = headEnd;
  for (let k = 0; k < 5; k++) {
    while (p > s.lineStart && isSpace(s.b[p - 1] as number)) p--;
    const e = p;
    while (p > s.lineStart && isDigit(s.b[p - 1] as number)) p--;
    if (p === e || p === s.lineStart || !isSpace(s.b[p - 1] as number)) return -1;
  }
  return p;
}
