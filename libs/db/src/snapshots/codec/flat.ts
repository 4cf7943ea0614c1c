import { CodecError, MAX_PACKED } from './byte-io';
import type { KeyDictionary } from './key-dictionary';

/**
 * A snapshot flattened to parallel arrays: dictionary ids of keys, and integer values. A value
 * the varint layer cannot carry exactly (beyond ±2^51, fractional, a huge bigint) is stored as 0
 * with its exact decimal text in `extras`, keyed by position.
 */
export interface FlatFrame {
  readonly ids: readonly number[];
  readonly vals: readonly number[];
  readonly extras: ReadonlyMap<number, string>;
}

const STRING_TAG = '$';
const STRING_PREFIX = `${STRING_TAG}:`;

const packable = (v: number): boolean =>
  Number.isInteger(v) && Math.abs(v) <= MAX_PACKED && !Object.is(v, -0);

export class FlatWriter implements FlatFrame {
  readonly ids: number[] = [];
  readonly vals: number[] = [];
  readonly extras = new Map<number, string>();

  constructor(readonly dict: KeyDictionary) {}

  num(tag: string, name: string, v: number): void {
    this.numId(this.dict.internKey(tag, name), v);
  }

  /** `num` for a key id already interned (see KeyDictionary.internGroup). */
  numId(id: number, v: number): void {
    this.ids.push(id);
    if (packable(v)) {
      this.vals.push(v);
    } else {
      this.extras.set(this.vals.length, Object.is(v, -0) ? '-0' : String(v));
      this.vals.push(0);
    }
  }

  big(tag: string, name: string, v: bigint): void {
    const n = Number(v);
    this.ids.push(this.dict.internKey(tag, name));
    if (Math.abs(n) <= MAX_PACKED) {
      this.vals.push(n);
    } else {
      this.extras.set(this.vals.length, v.toString());
      this.vals.push(0);
    }
  }

  /**
   * A string that varies from one snapshot to the next (a parse error's reason names values):
   * carried in the frame's text side channel, never added to the host's dictionary.
   */
  text(tag: string, name: string, s: string): void {
    this.ids.push(this.dict.internKey(tag, name));
    this.extras.set(this.vals.length, s);
    this.vals.push(0);
  }

  /** Strings are interned in the dictionary; the value is the entry's id. Stable strings only. */
  str(tag: string, name: string, s: string): void {
    this.num(tag, name, this.dict.internKey(STRING_TAG, s));
  }
}

/** Walks a FlatFrame entry by entry; `tag` and `name` split the key at its first ':'. */
export class FlatReader {
  private i = -1;
  tag = '';
  name = '';

  constructor(
    private readonly frame: FlatFrame,
    private readonly dict: KeyDictionary,
  ) {}

  next(): boolean {
    this.i++;
    const id = this.frame.ids[this.i];
    if (id === undefined) return false;
    const key = this.dict.get(id);
    const colon = key.indexOf(':');
    if (colon < 0) throw new CodecError(`dictionary entry ${id} is not a key`);
    this.tag = key.slice(0, colon);
    this.name = key.slice(colon + 1);
    return true;
  }

  num(): number {
    const extra = this.frame.extras.get(this.i);
    if (extra !== undefined) return extra === '-0' ? -0 : Number(extra);
    return this.frame.vals[this.i] as number;
  }

  big(): bigint {
    const extra = this.frame.extras.get(this.i);
    return extra !== undefined ? BigInt(extra) : BigInt(this.frame.vals[this.i] as number);
  }

  text(): string {
    const extra = this.frame.extras.get(this.i);
    if (extra === undefined) throw new CodecError('snapshot frame lacks a text value');
    return extra;
  }

  str(): string {
    const entry = this.dict.get(this.num());
    if (!entry.startsWith(STRING_PREFIX)) throw new CodecError(`entry ${entry} is not a string`);
    return entry.slice(STRING_PREFIX.length);
  }
}
