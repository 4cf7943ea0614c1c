import { failed, ok, unavailable, type Parsed } from './parse-result';
import { NO_NUMBER, Scanner, numberProblem } from './scan';
import type { SlabAnomaly, SlabCache, Slabinfo, SlabinfoVersion } from './types';

const VERSION_PREFIX = 'slabinfo - version: ';
const VERSIONS: readonly SlabinfoVersion[] = ['2.0', '2.1', '2.1 (statistics)'];
const HEAD_NUMBERS = 5;
const SPACE = 32;
const TAB = 9;

/**
 * /proc/slabinfo (SLAB and SLUB). Line format (mm/slab_common.c, cache_show):
 *   name active_objs num_objs objsize objperslab pagesperslab
 *     [: tunables limit batchcount sharedfactor] [: slabdata active_slabs num_slabs sharedavail]
 *     [: globalstat ... : cpustat ...]   (2.1 (statistics), CONFIG_DEBUG_SLAB only; ignored)
 * Version 2.0 labels the tunables `<batchcount> <limit>`, but its seq_printf prints limit first
 * all the same, so values are read in one order for every version.
 *
 * The name is everything before the last five numbers of the leading group: names run into the
 * first number after one space when they are long, and may hold `()`, `-`, `:` or digits.
 *
 * Impossible combinations (active > total) are kept and listed in `anomalies` instead of failing
 * the file: one racy or hand-edited line must not hide 250 good caches.
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

  const caches: SlabCache[] = [];
  const anomalies: SlabAnomaly[] = [];
  const starts = [0, 0, 0, 0, 0];
  while (s.nextLine()) {
    if (s.isLineBlank() || s.peek() === 35 /* # */) continue;
    const line = s.line;
    let headEnd = text.indexOf(' :', s.lineStart);
    if (headEnd < 0 || headEnd > s.lineEnd) headEnd = s.lineEnd;
    // Walk back over the five numbers that end the leading group.
    let p = headEnd;
    for (let k = HEAD_NUMBERS - 1; k >= 0; k--) {
      while (p > s.lineStart && isSpace(text.charCodeAt(p - 1))) p--;
      const e = p;
      while (p > s.lineStart && isDigit(text.charCodeAt(p - 1))) p--;
      if (p === e || p === s.lineStart || !isSpace(text.charCodeAt(p - 1))) {
        return failed(file, line, `expected 'name' and five numbers before ':': ${s.lineText()}`);
      }
      starts[k] = p;
    }
    let nameEnd = p;
    while (nameEnd > s.lineStart && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameEnd <= s.pos) return failed(file, line, `cache line without a name: ${s.lineText()}`);
    const name = text.slice(s.pos, nameEnd);
    s.pos = starts[0] as number;
    const activeObjs = s.uint();
    const numObjs = s.uint();
    const objSize = s.uint();
    const objPerSlab = s.uint();
    const pagesPerSlab = s.uint();
    if (activeObjs < 0 || numObjs < 0 || objSize < 0 || objPerSlab < 0 || pagesPerSlab < 0) {
      return failed(file, line, `${name}: a count exceeds 2^53 - 1`);
    }
    let limit: number | undefined;
    let batchCount: number | undefined;
    let sharedFactor: number | undefined;
    let activeSlabs: number | undefined;
    let numSlabs: number | undefined;
    let sharedAvail: number | undefined;
    s.skipSpaces();
    while (!s.atEol()) {
      if (!s.accept(':'))
        return failed(file, line, `${name}: expected ':' before a group: ${s.lineText()}`);
      const label = s.token();
      if (label === 'tunables' || label === 'slabdata') {
        const a = s.uint();
        const b = s.uint();
        const c = s.uint();
        if (a < 0 || b < 0 || c < 0)
          return failed(file, line, numberProblem(a < 0 ? a : b < 0 ? b : c, `${name} ${label}`));
        s.skipSpaces();
        if (!s.atEol() && s.peek() !== 58 /* : */) {
          return failed(file, line, `${name}: ${label} has more than 3 values`);
        }
        if (label === 'tunables') {
          limit = a;
          batchCount = b;
          sharedFactor = c;
        } else {
          activeSlabs = a;
          numSlabs = b;
          sharedAvail = c;
        }
      } else {
        // globalstat / cpustat (debug statistics) or a future group: numbers we do not use.
        if (label === '') return failed(file, line, `${name}: empty group label`);
        for (;;) {
          s.skipSpaces();
          if (s.atEol() || s.peek() === 58) break;
          const v = s.uint();
          if (v === NO_NUMBER || v < 0)
            return failed(file, line, numberProblem(v, `${name} ${label}`));
        }
      }
      s.skipSpaces();
    }
    const cache: SlabCache = {
      name,
      activeObjs,
      numObjs,
      objSize,
      objPerSlab,
      pagesPerSlab,
      limit,
      batchCount,
      sharedFactor,
      activeSlabs,
      numSlabs,
      sharedAvail,
    };
    caches.push(cache);
    if (activeObjs > numObjs) {
      anomalies.push({ line, name, reason: `active_objs ${activeObjs} > num_objs ${numObjs}` });
    }
    if (activeSlabs !== undefined && numSlabs !== undefined) {
      if (activeSlabs > numSlabs) {
        anomalies.push({
          line,
          name,
          reason: `active_slabs ${activeSlabs} > num_slabs ${numSlabs}`,
        });
      }
      if (numObjs > numSlabs * objPerSlab) {
        anomalies.push({
          line,
          name,
          reason: `num_objs ${numObjs} > num_slabs ${numSlabs} x objperslab ${objPerSlab}`,
        });
      }
    }
  }
  return ok({ version, caches, anomalies });
}

const isSpace = (c: number): boolean => c === SPACE || c === TAB;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
