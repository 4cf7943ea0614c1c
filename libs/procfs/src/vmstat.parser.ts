import { failed, ok, type Parsed } from './parse-result';
import { Scanner } from './scan';
import type { Vmstat } from './types';

/**
 * /proc/vmstat: `name value` per line. The key set changes with every kernel (43 keys on 2.6.16,
 * ~190 on 6.x), so every key is kept. Event counters (pgfault, compact_free_scanned) pass 2^32
 * within days and could pass 2^53, so values are bigint.
 */
export function parseVmstat(text: string, file = '/proc/vmstat'): Parsed<Vmstat> {
  const s = new Scanner(text);
  if (s.end === 0)
    return failed(
      file,
      1,
      'empty: vmstat is world-readable, so an empty read means a broken capture',
    );
  const fast = readCanonical(text, s.b, s.end);
  if (fast !== undefined) return ok({ counters: fast });
  const counters = readLines(s, file);
  return counters instanceof Map ? ok({ counters }) : counters;
}

/** parseVmstat without the fused pass: for the spec that holds both to the same answer. */
export function parseVmstatLines(text: string, file = '/proc/vmstat'): Parsed<Vmstat> {
  const s = new Scanner(text);
  if (s.end === 0) return parseVmstat(text, file);
  const counters = readLines(s, file);
  return counters instanceof Map ? ok({ counters }) : counters;
}

/**
 * `name value` lines as the kernel prints them, in one pass: a name at column 0, one run of
 * blanks, at most 15 digits, the newline. Anything else (blank lines, trailing blanks, CR, a
 * longer number, a repeated name) returns undefined and readLines decides, with its reasons; the
 * result is what readLines returns for the same text (vmstat.fast-path.spec).
 */
function readCanonical(text: string, b: Uint8Array, end: number): Map<string, bigint> | undefined {
  const counters = new Map<string, bigint>();
  let p = 0;
  while (p < end) {
    const start = p;
    let c = b[p] as number;
    while (c !== 32 && c !== 9) {
      if (c === 10 || c === 13 || c === 0) return undefined;
      c = b[++p] as number;
    }
    if (p === start) return undefined;
    const name = text.slice(start, p);
    while (c === 32 || c === 9) c = b[++p] as number;
    const digits = p;
    let v = 0;
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = b[++p] as number;
    }
    if (c !== 10 || p === digits || p - digits > 15) return undefined;
    const before = counters.size;
    counters.set(name, v === 0 ? 0n : BigInt(v));
    if (counters.size === before) return undefined;
    p++;
  }
  return counters;
}

function readLines(s: Scanner, file: string): Map<string, bigint> | Parsed<Vmstat> {
  const counters = new Map<string, bigint>();
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    const name = s.token();
    const v = s.bigUint();
    if (v === undefined || !s.isLineBlank()) {
      return failed(
        file,
        s.line,
        `expected 'name value' with an unsigned integer: ${s.lineText()}`,
      );
    }
    const before = counters.size;
    counters.set(name, v); // one hash operation per line: a repeat shows as an unchanged size
    if (counters.size === before) return failed(file, s.line, `duplicate counter ${name}`);
  }
  return counters;
}
