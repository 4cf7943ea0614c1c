/**
 * The number readers of the slabinfo parser: the numbers after a cache name, into one reused
 * scratch array, on bytes (see scan.ts for the buffer and its trailing newline).
 */
export const HAS_TUNABLES = 1;
export const HAS_SLABDATA = 2;

/** Scratch for one line: [0..4] head numbers, [5..7] tunables, [8..10] slabdata, [11] which
 * optional groups the line has (HAS_TUNABLES | HAS_SLABDATA). A plain array
 * of small integers (Smis) is ~8% faster here than a Float64Array, whose reads box into objects. */
export const vals: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

export const PROBLEMS = [
  '',
  'a number runs into text',
  'a count exceeds 2^53 - 1',
  'expected five numbers after the name, then groups of three',
  'unexpected text where a number or a group was expected',
  'empty group label',
];

/**
 * Which group a `: label` opens: HAS_TUNABLES, HAS_SLABDATA, or 0 for one to skip. The kernel
 * prints four labels: tunables, slabdata, globalstat, cpustat (the last two only with
 * CONFIG_DEBUG_SLAB). Length plus first and last byte tell them apart, and this runs twice per
 * cache line, so no slice and no full compare.
 */
function groupOfLabel(b: Uint8Array, start: number, end: number): number {
  if (end - start !== 8) return 0;
  const first = b[start];
  const last = b[end - 1];
  if (first === 116 /* t */ && last === 115 /* s */) return HAS_TUNABLES;
  if (first === 115 /* s */ && last === 97 /* a */) return HAS_SLABDATA;
  return 0;
}

/**
 * Reads the numbers after a cache name into `vals`, from byte p to the end of line e. Returns 0,
 * or an index into PROBLEMS. Kept small on purpose: V8 then inlines it into the line loop.
 */
export function readNumbers(b: Uint8Array, p: number, e: number): number {
  let base = 0;
  let want = 5;
  let k = 0;
  let skipping = false;
  let groups = 0;
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
    const group = groupOfLabel(b, labelStart, p);
    skipping = group === 0;
    if (group !== 0) {
      base = group === HAS_TUNABLES ? 5 : 8;
      groups |= group;
    }
    k = 0;
    want = 3;
  }
  if (!skipping && k !== want) return 3;
  vals[11] = groups;
  return 0;
}

/**
 * readNumbers for the fused pass: the line ends at the newline rather than at a known end, and
 * anything readNumbers might read differently (a CR or NUL, 16+ digits) is refused. Returns the
 * index of the newline, or -1.
 */
export function readNumbersToEol(b: Uint8Array, p: number): number {
  let base = 0;
  let want = 5;
  let k = 0;
  let skipping = false;
  let groups = 0;
  for (;;) {
    let c = b[p] as number;
    while (c === 32 || c === 9) c = b[++p] as number;
    if (c === 10) break;
    if (c >= 48 && c <= 57) {
      const start = p;
      let v = 0;
      do {
        v = v * 10 + (c - 48);
        c = b[++p] as number;
      } while (c >= 48 && c <= 57);
      if ((c !== 32 && c !== 9 && c !== 10) || p - start > 15) return -1;
      if (!skipping) {
        if (k === want) return -1;
        vals[base + k] = v;
      }
      k++;
      continue;
    }
    if (c !== 58 /* : */ || (!skipping && k !== want)) return -1;
    c = b[++p] as number;
    while (c === 32 || c === 9) c = b[++p] as number;
    const labelStart = p;
    while (c !== 32 && c !== 9) {
      if (c === 10 || c === 13 || c === 0) return -1;
      c = b[++p] as number;
    }
    const group = groupOfLabel(b, labelStart, p);
    skipping = group === 0;
    if (group !== 0) {
      base = group === HAS_TUNABLES ? 5 : 8;
      groups |= group;
    }
    k = 0;
    want = 3;
  }
  if (!skipping && k !== want) return -1;
  vals[11] = groups;
  return p;
}
