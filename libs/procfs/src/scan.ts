/**
 * A line cursor over the text of one /proc file. The parsers run for every snapshot of every
 * host, so they walk the string with indexOf/charCodeAt instead of split + regex: no array per
 * line, no intermediate strings for numbers.
 *
 * Number readers return a negative sentinel instead of throwing, so the parsers never need
 * try/catch: NO_NUMBER (no digit where one was required) or TOO_BIG (past 2^53 - 1, where a JS
 * number would silently lose precision).
 */
export const NO_NUMBER = -1;
export const TOO_BIG = -2;

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const NUL = 0;
const ZERO = 48;
const NINE = 57;

const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR || c === NUL;

/** Where the meaningful text stops: sysfs page-sized reads pad with NULs, copies add blank tails. */
export function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== NUL && c !== NL && c !== CR && c !== SPACE && c !== TAB) break;
    end--;
  }
  return end;
}

/** True when the text holds nothing but whitespace and NULs (an unreadable or empty file). */
export const isBlankText = (text: string): boolean => contentEnd(text) === 0;

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

  constructor(readonly text: string) {
    this.end = contentEnd(text);
  }

  /** Moves to the next line; false at the end of the text. Blank lines are returned too. */
  nextLine(): boolean {
    if (this.next >= this.end) return false;
    const start = this.next;
    let nl = this.text.indexOf('\n', start);
    if (nl < 0 || nl > this.end) nl = this.end;
    this.next = nl + 1;
    let e = nl;
    while (e > start && isBlank(this.text.charCodeAt(e - 1))) e--;
    this.lineStart = start;
    this.pos = start;
    this.lineEnd = e;
    this.line++;
    return true;
  }

  skipSpaces(): void {
    const t = this.text;
    let p = this.pos;
    while (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c !== SPACE && c !== TAB) break;
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
    const t = this.text;
    let p = this.pos;
    const start = p;
    let v = 0;
    while (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
      p++;
    }
    if (p === start) return NO_NUMBER;
    if (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c !== SPACE && c !== TAB) return NO_NUMBER;
    }
    this.pos = p;
    if (p - start > 15 && v > Number.MAX_SAFE_INTEGER) return TOO_BIG;
    return v;
  }

  /** Skips blanks, then reads an unsigned decimal whatever follows it (`2877,` in a list). */
  digits(): number {
    this.skipSpaces();
    const t = this.text;
    let p = this.pos;
    const start = p;
    let v = 0;
    while (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
      p++;
    }
    if (p === start) return NO_NUMBER;
    this.pos = p;
    if (p - start > 15 && v > Number.MAX_SAFE_INTEGER) return TOO_BIG;
    return v;
  }

  /** Like uint() but exact at any size: vmstat counters pass 2^53 on long-lived hosts. */
  bigUint(): bigint | undefined {
    this.skipSpaces();
    const t = this.text;
    let p = this.pos;
    const start = p;
    let v = 0;
    while (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
      p++;
    }
    if (p === start) return undefined;
    if (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c !== SPACE && c !== TAB) return undefined;
    }
    this.pos = p;
    if (p - start <= 15) return v === 0 ? 0n : BigInt(v);
    return BigInt(t.slice(start, p));
  }

  /** Reads a run of non-blank characters ('' at end of line). */
  token(): string {
    this.skipSpaces();
    const t = this.text;
    const start = this.pos;
    let p = start;
    while (p < this.lineEnd) {
      const c = t.charCodeAt(p);
      if (c === SPACE || c === TAB) break;
      p++;
    }
    this.pos = p;
    return t.slice(start, p);
  }

  /** True (and consumes it) when the cursor, after blanks, is at `s`. */
  accept(s: string): boolean {
    this.skipSpaces();
    if (this.pos + s.length > this.lineEnd || !this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  /** The current line as text, for error messages. */
  lineText(): string {
    const s = this.text.slice(this.lineStart, this.lineEnd);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  }

  /** Character code at the cursor, or -1 at end of line. */
  peek(): number {
    return this.pos < this.lineEnd ? this.text.charCodeAt(this.pos) : -1;
  }
}

/** Reason text for a failed number read. */
export const numberProblem = (v: number, what: string): string =>
  v === TOO_BIG ? `${what} exceeds 2^53 - 1` : `${what} is not an unsigned integer`;
