/**
 * Varint byte buffers for the snapshot codec. Values are JS numbers; callers keep them within
 * ±2^52 so that zigzag (2|v|) stays an exactly representable integer.
 */

/** Largest magnitude the codec stores as a number; anything beyond goes to the frame's extras. */
export const MAX_PACKED = 2 ** 51;

export const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);
export const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(capacity = 4096) {
    this.buf = new Uint8Array(capacity);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  uvarint(v: number): void {
    this.reserve(8);
    // Bitwise ops truncate to 32 bits, so large values take the arithmetic path.
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  svarint(v: number): void {
    this.uvarint(zigzag(v));
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

export class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new CodecError('snapshot frame ends early');
    return b;
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new CodecError('varint longer than 8 bytes');
    }
  }

  svarint(): number {
    return unzigzag(this.uvarint());
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new CodecError('snapshot frame ends early');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
