import { failed, ok, type Parsed } from './parse-result';
import { NO_NUMBER, Scanner, numberProblem } from './scan';
import type { Meminfo, NodeMeminfo } from './types';

const KIB = 1024;
const MAX_KB = Math.floor(Number.MAX_SAFE_INTEGER / KIB);

/**
 * /proc/meminfo: `Name:   value kB` per line, in whatever order and field set the kernel has.
 * Lines without a unit (HugePages_Total/Free/Rsvd/Surp) are counts and are listed in
 * countFields; every `kB` value becomes bytes. 2.4-era kernels (and some 32-bit embedded ones)
 * print a `total: used: free: ...` header and `Mem:`/`Swap:` byte rows first: they repeat the
 * named fields, so they are skipped.
 */
export function parseMeminfo(text: string, file = '/proc/meminfo'): Parsed<Meminfo> {
  const s = new Scanner(text);
  const fast = s.end === 0 ? undefined : readCanonical(text, s.b, s.end);
  if (fast !== undefined) return ok(fast);
  return parseMeminfoLines(text, file);
}

/** parseMeminfo without the fused pass: for the spec that holds both to the same answer. */
export function parseMeminfoLines(text: string, file = '/proc/meminfo'): Parsed<Meminfo> {
  const r = parseFields(text, file, false);
  return r.kind === 'ok' ? ok({ fields: r.value.fields, countFields: r.value.countFields }) : r;
}

/**
 * /sys/devices/system/node/nodeN/meminfo: the same lines prefixed `Node N `. Collectors copy it
 * with page-sized reads, so NUL padding after the text is normal here.
 */
export function parseNodeMeminfo(
  text: string,
  file = '/sys/devices/system/node/node/meminfo',
): Parsed<NodeMeminfo> {
  return parseFields(text, file, true);
}

function parseFields(text: string, file: string, perNode: boolean): Parsed<NodeMeminfo> {
  const s = new Scanner(text);
  if (s.end === 0) {
    return failed(
      file,
      1,
      'empty: meminfo is world-readable, so an empty read means a broken capture',
    );
  }
  const fields: Record<string, number> = Object.create(null) as Record<string, number>;
  const countFields: string[] = [];
  let node = -1;
  let legacyHeader = false;
  let seen = 0;
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    s.pos = s.lineStart;
    if (perNode) {
      if (!s.accept('Node '))
        return failed(file, s.line, `expected 'Node N Name: value': ${s.lineText()}`);
      const n = s.uint();
      if (n < 0) return failed(file, s.line, numberProblem(n, 'node number'));
      if (node >= 0 && n !== node)
        return failed(file, s.line, `node ${n} in a file of node ${node}`);
      node = n;
      s.skipSpaces();
    }
    const nameStart = s.pos;
    const colon = text.indexOf(':', nameStart);
    if (colon < 0 || colon >= s.lineEnd) {
      return failed(file, s.line, `expected 'Name: value [kB]': ${s.lineText()}`);
    }
    const first = s.byteAt(nameStart);
    if (first === 32 || first === 9) {
      // `        total:    used:    free:  shared: buffers:  cached:` (2.4 layout)
      if (!perNode && seen === 0 && text.startsWith('total:', colon - 5)) {
        legacyHeader = true;
        continue;
      }
      return failed(file, s.line, `field name starts with a blank: ${s.lineText()}`);
    }
    if (colon === nameStart) return failed(file, s.line, 'empty field name');
    const blank = text.indexOf(' ', nameStart);
    if (blank >= 0 && blank < colon) {
      // e.g. `Node 0 MemTotal:` (a node meminfo file: parseNodeMeminfo reads those)
      return failed(file, s.line, `field name contains a blank: ${s.lineText()}`);
    }
    const name = text.slice(nameStart, colon);
    s.pos = colon + 1;
    if (legacyHeader && (name === 'Mem' || name === 'Swap') && isLegacyRow(s)) continue;
    const v = s.uint();
    if (v < 0) return failed(file, s.line, numberProblem(v, `value of ${name}`));
    s.skipSpaces();
    const unitless = s.atEol();
    if (!unitless && !(s.accept('kB') && s.atEol())) {
      return failed(file, s.line, `unexpected text after the value of ${name}: ${s.lineText()}`);
    }
    if (!unitless && v > MAX_KB) return failed(file, s.line, `${name} in bytes exceeds 2^53 - 1`);
    const value = unitless ? v : v * KIB;
    if (unitless) countFields.push(name);
    if (fields[name] !== undefined) return failed(file, s.line, `duplicate field ${name}`);
    fields[name] = value;
    seen++;
  }
  if (seen === 0) return failed(file, s.line, 'no meminfo fields');
  return ok({ node: node < 0 ? 0 : node, fields, countFields });
}

/**
 * `Name:   value kB` lines as the kernel prints them, in one pass: a name at column 0 with no
 * blank, a colon, blanks, at most 12 digits, then the newline or blanks, `kB` and the newline.
 * Anything else (the 2.4 header, trailing blanks, CR, a repeated name, ...) returns undefined and
 * parseFields decides, with its reasons; the result is what parseFields returns for the same
 * text (meminfo.fast-path.spec). 12 digits of kB stay below MAX_KB.
 */
function readCanonical(text: string, b: Uint8Array, end: number): Meminfo | undefined {
  const fields: Record<string, number> = Object.create(null) as Record<string, number>;
  const countFields: string[] = [];
  let p = 0;
  while (p < end) {
    const start = p;
    let c = b[p] as number;
    while (c !== 58 /* : */) {
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0) return undefined;
      c = b[++p] as number;
    }
    if (p === start) return undefined;
    const name = text.slice(start, p);
    c = b[++p] as number;
    while (c === 32 || c === 9) c = b[++p] as number;
    const digits = p;
    let v = 0;
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = b[++p] as number;
    }
    if (p === digits || p - digits > 12) return undefined;
    let value = v;
    if (c === 10) {
      countFields.push(name);
    } else {
      if (c !== 32 && c !== 9) return undefined;
      while (c === 32 || c === 9) c = b[++p] as number;
      if (c !== 107 /* k */ || b[p + 1] !== 66 /* B */ || b[p + 2] !== 10) return undefined;
      p += 2;
      value = v * KIB;
    }
    if (fields[name] !== undefined) return undefined;
    fields[name] = value;
    p++;
  }
  return p === 0 ? undefined : { fields, countFields };
}

/** A 2.4 `Mem:`/`Swap:` row holds several byte counts and no unit. */
function isLegacyRow(s: Scanner): boolean {
  const save = s.pos;
  let n = 0;
  while (!s.atEol()) {
    if (s.uint() === NO_NUMBER) break;
    n++;
  }
  const row = n > 1 && s.atEol();
  if (!row) s.pos = save;
  return row;
}
