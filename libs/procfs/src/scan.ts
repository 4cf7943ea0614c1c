/**
 * A line cursor over the text of one /proc file. The parsers run for every snapshot of every
 * host, so they walk bytes instead of split + regex: no array per line, no intermediate strings
 * for numbers.
 *
 * Number readers return a negative sentinel instead of throwing, so the parsers never need
 * try/catch: NO_NUMBER (no digit where one was required) or TOO_BIG (past 2^53 - 1, where a JS
 * number would silently lose precision).
 */
export const NO_NUMBER = -1;
export const TOO_BIG = -2;

/** Space, tab, CR, NUL: what may trail a line in a copied capture. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 0;

/**
 * The bytes of the text being scanned. Reading a Uint8Array is about twice as fast as
 * String#charCodeAt in V8, and latin1Write into a reused buffer costs ~1 µs per 25 KB, so every
 * Scanner shares this one buffer: parsers are synchronous and use one Scanner at a time.
 * Characters outside ASCII are written as 0x7f first, so that a wide character whose low byte
 * looks like a digit or a blank can never be read as one; strings are still sliced from the
 * original text (one byte per UTF-16 unit keeps the indices aligned). A newline is written after
 * the text, so a digit loop may read one byte past the end of a line without a bounds test: the
 * bytes after a line's last non-blank are blanks, NULs or a newline, never digits.
 */
let scratch = Buffer.allocUnsafeSlow(1 << 16);
const NON_ASCII = /[\u0080-\uffff]/g;

/** Texts larger than this get a buffer of their own, so one huge input does not pin memory. */
const MAX_SCRATCH = 1 << 22;

function bytesOf(text: string): Uint8Array {
  let buf = scratch;
  if (text.length >= buf.length) {
    buf = Buffer.allocUnsafeSlow(Math.max(text.length + 1, buf.length * 2));
    if (buf.length <= MAX_SCRATCH) scratch = buf;
  }
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  buf.write(ascii ? text : text.replace(NON_ASCII, '\x7f'), 0, 'latin1');
  buf[text.length] = 10;
  return buf;
}

/** Where the meaningful text stops: sysfs page-sized reads pad with NULs, copies add blank tails. */
export function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0 && c !== 10 && c !== 13 && c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

export class Scanner {
  /** 1-based number of the current line (0 before the first nextLine). */
  line = 0;
  /** Cursor inside the current line. */
  pos = 0;
  lineStart = 0;
  /** End of the current line, trailing blanks (space, tab, CR, NUL) excluded. */
  lineEnd = 0;
  private next = 0;
  readonly end: number;
  /** The text as bytes (see bytesOf); valid until the next Scanner is made. */
  readonly b: Uint8Array;

  constructor(readonly text: string) {
    this.end = contentEnd(text);
    this.b = bytesOf(text);
  }

  /** Moves to the next line; false at the end of the text. Blank lines are returned too. */
  nextLine(): boolean {
    if (this.next >= this.end) return false;
    const start = this.next;
    let nl = this.text.indexOf('\n', start);
    if (nl < 0 || nl > this.end) nl = this.end;
    this.next = nl + 1;
    let e = nl;
    while (e > start && isBlank(this.b[e - 1] as number)) e--;
    this.lineStart = start;
    this.pos = start;
    this.lineEnd = e;
    this.line++;
    return true;
  }

  skipSpaces(): void {
    const t = this.b;
    let p = this.pos;
    while (p < this.lineEnd) {
      const c = t[p] as number;
      if (c !== 32 && c !== 9) break;
      p++;
    }
    this.pos = p;
  }

  atEol(): boolean {
    return this.pos >= this.lineEnd;
  }

  isLineBlank(): boolean {
    this.skipSpaces();
    return this.pos >= this.lineEnd;
  }

  /** Skips blanks, then reads an unsigned decimal that must end at a blank or end of line. */
  uint(): number {
    this.skipSpaces();
    const t = this.b;
    let p = this.pos;
    const start = p;
    let v = 0;
    // No bounds test: the byte after a line's end is never a digit (see bytesOf).
    for (let c = t[p] as number; c >= 48 && c <= 57; c = t[++p] as number) v = v * 10 + (c - 48);
    if (p === start) return NO_NUMBER;
    if (p < this.lineEnd) {
      const c = t[p] as number;
      if (c !== 32 && c !== 9) return NO_NUMBER;
    }
    this.pos = p;
    if (p - start > 15 && v > Number.MAX_SAFE_INTEGER) return TOO_BIG;
    return v;
  }

  /** Skips blanks, then reads an unsigned decimal whatever follows it (`2877,` in a list). */
  digits(): number {
    this.skipSpaces();
    const t = this.b;
    let p = this.pos;
    const start = p;
    let v = 0;
    // No bounds test: the byte after a line's end is never a digit (see bytesOf).
    for (let c = t[p] as number; c >= 48 && c <= 57; c = t[++p] as number) v = v * 10 + (c - 48);
    if (p === start) return NO_NUMBER;
    this.pos = p;
    if (p - start > 15 && v > Number.MAX_SAFE_INTEGER) return TOO_BIG;
    return v;
  }

  /** Like uint() but exact at any size: vmstat counters pass 2^53 on long-lived hosts. */
  bigUint(): bigint | undefined {
    this.skipSpaces();
    const t = this.b;
    let p = this.pos;
    const start = p;
    let v = 0;
    // No bounds test: the byte after a line's end is never a digit (see bytesOf).
    for (let c = t[p] as number; c >= 48 && c <= 57; c = t[++p] as number) v = v * 10 + (c - 48);
    if (p === start) return undefined;
    if (p < this.lineEnd) {
      const c = t[p] as number;
      if (c !== 32 && c !== 9) return undefined;
    }
    this.pos = p;
    if (p - start <= 15) return v === 0 ? 0n : BigInt(v);
    return BigInt(this.text.slice(start, p));
  }

  /** Reads a run of non-blank characters ('' at end of line). */
  token(): string {
    this.skipSpaces();
    const t = this.b;
    const start = this.pos;
    let p = start;
    while (p < this.lineEnd) {
      const c = t[p] as number;
      if (c === 32 || c === 9) break;
      p++;
    }
    this.pos = p;
    return this.text.slice(start, p);
  }

  /** True (and consumes it) when the cursor, after blanks, is at `s`. */
  accept(s: string): boolean {
    this.skipSpaces();
    const p = this.pos;
    const n = s.length;
    if (p + n > this.lineEnd) return false;
    // A byte loop beats a native startsWith call for these short constant labels.
    const b = this.b;
    for (let i = 0; i < n; i++) if (b[p + i] !== s.charCodeAt(i)) return false;
    this.pos = p + n;
    return true;
  }

  /** The current line as text, for error messages. */
  lineText(): string {
    const s = this.text.slice(this.lineStart, this.lineEnd);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  }

  /** The byte at an index of the text (non-ASCII reads as 0x7f). */
  byteAt(i: number): number {
    return this.b[i] as number;
  }

  /** Moves the cursor past a run of non-blank characters; returns where the run started. */
  skipToken(): number {
    this.skipSpaces();
    const t = this.b;
    const start = this.pos;
    let p = start;
    while (p < this.lineEnd) {
      const c = t[p] as number;
      if (c === 32 || c === 9) break;
      p++;
    }
    this.pos = p;
    return start;
  }

  /** Character code at the cursor, or -1 at end of line. */
  peek(): number {
    return this.pos < this.lineEnd ? (this.b[this.pos] as number) : -1;
  }
}

/** Reason text for a failed number read. */
export const numberProblem = (v: number, what: string): string =>
  v === TOO_BIG ? `${what} exceeds 2^53 - 1` : `${what} is not an unsigned integer`;
