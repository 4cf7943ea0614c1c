import { failed, ok, unavailable, type Parsed } from './parse-result';
import { Scanner } from './scan';
import {
  HAS_SLABDATA,
  HAS_TUNABLES,
  PROBLEMS,
  readNumbers,
  readNumbersToEol,
  vals,
} from './slabinfo.numbers';
import type { SlabAnomaly, SlabCache, Slabinfo, SlabinfoVersion } from './types';

const VERSION_PREFIX = 'slabinfo - version: ';
const VERSIONS: readonly SlabinfoVersion[] = ['2.0', '2.1', '2.1 (statistics)'];

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
  return parse(text, file, true);
}

/** parseSlabinfo without the fused pass: for the spec that holds both to the same answer. */
export function parseSlabinfoLines(text: string, file = '/proc/slabinfo'): Parsed<Slabinfo> {
  return parse(text, file, false);
}

function parse(text: string, file: string, fused: boolean): Parsed<Slabinfo> {
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
  if (fused) {
    const nl = text.indexOf('\n', s.lineEnd);
    const r = readCanonical(text, b, nl < 0 ? s.end : nl + 1, s.end);
    if (r !== undefined) return ok({ version, caches: r.caches, anomalies: r.anomalies });
  }
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
    const cache = makeCache(text.slice(nameStart, nameEnd));
    caches.push(cache);
    checkInvariants(cache, s.line, anomalies);
  }
  return ok({ version, caches, anomalies });
}

/**
 * The data lines of a plain slabinfo in one pass: each line is `#...` or a name at column 0,
 * then numbers and `: label` groups, then a newline. Anything else (a blank or indented line,
 * a CR or NUL, a number of 16+ digits, a name with a blank, any line readNumbers would reject)
 * returns undefined, and the line-by-line reader, which names the line and the reason, decides.
 * The result is what that reader returns for the same text (slabinfo.fast-path.spec); skipping
 * its per-line calls (line search, blank test, token) saves ~10% of the largest parser.
 * `from` is where line 2 starts; `b` has a newline after the text (see bytesOf).
 */
function readCanonical(
  text: string,
  b: Uint8Array,
  from: number,
  end: number,
): { caches: SlabCache[]; anomalies: SlabAnomaly[] } | undefined {
  const caches: SlabCache[] = [];
  const anomalies: SlabAnomaly[] = [];
  let line = 1;
  let p = from;
  while (p < end) {
    line++;
    let c = b[p] as number;
    if (c === 35 /* # */) {
      while (c !== 10) c = b[++p] as number;
      p++;
      continue;
    }
    const nameStart = p;
    while (c !== 32 && c !== 9) {
      if (c === 10 || c === 13 || c === 0) return undefined;
      c = b[++p] as number;
    }
    if (p === nameStart) return undefined;
    const eol = readNumbersToEol(b, p);
    if (eol < 0) return undefined;
    const cache = makeCache(text.slice(nameStart, p));
    caches.push(cache);
    checkInvariants(cache, line, anomalies);
    p = eol + 1;
  }
  return { caches, anomalies };
}

/** One cache from the name and what the last readNumbers / readNumbersToEol left in `vals`. */
function makeCache(name: string): SlabCache {
  const groups = vals[11] as number;
  const t = (groups & HAS_TUNABLES) !== 0;
  const d = (groups & HAS_SLABDATA) !== 0;
  return {
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
