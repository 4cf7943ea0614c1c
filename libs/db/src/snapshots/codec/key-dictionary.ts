import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CodecError } from './byte-io';

export interface GroupEntry {
  readonly ids: readonly number[];
  /** Free for the caller; dropped with the entry when the dictionary is truncated. */
  memo: unknown;
}

/**
 * The per-host dictionary of the snapshot codec: every key a frame uses (`m:MemTotal`,
 * `sa:dentry`) and every interned string (`$:6.18.0-amd64`), each stored once per host and
 * referred to by its index. Append-only, so a frame written against an older, shorter
 * dictionary still decodes against a newer one.
 */
export class KeyDictionary {
  private readonly entries: string[];
  private readonly index = new Map<string, number>();
  /** tag -> name -> id: lookups by the parser's own name strings, whose hash V8 caches. */
  private readonly byTag = new Map<string, Map<string, number>>();
  private readonly groups = new Map<string, Map<string, GroupEntry>>();

  constructor(entries: readonly string[] = []) {
    this.entries = [...entries];
    this.entries.forEach((e, i) => this.index.set(e, i));
  }

  get size(): number {
    return this.entries.length;
  }

  intern(entry: string): number {
    const known = this.index.get(entry);
    if (known !== undefined) return known;
    const id = this.entries.length;
    this.entries.push(entry);
    this.index.set(entry, id);
    return id;
  }

  /**
   * intern(`${tag}:${name}`) without building the key string on the hot path: a snapshot has
   * ~1,500 keys, and hashing a fresh concatenation for each one dominated encoding.
   */
  internKey(tag: string, name: string): number {
    let names = this.byTag.get(tag);
    if (names === undefined) {
      names = new Map();
      this.byTag.set(tag, names);
    }
    const known = names.get(name);
    if (known !== undefined) return known;
    const id = this.intern(`${tag}:${name}`);
    names.set(name, id);
    return id;
  }

  /**
   * The ids of `${tag}:${name}` for each tag, looked up once per name (a slab cache's fields),
   * with a slot the caller may use to remember more about that name (see slabShapeId).
   */
  internGroup(group: string, name: string, tags: readonly string[]): GroupEntry {
    let names = this.groups.get(group);
    if (names === undefined) {
      names = new Map();
      this.groups.set(group, names);
    }
    let entry = names.get(name);
    if (entry === undefined) {
      entry = { ids: tags.map((tag) => this.internKey(tag, name)), memo: undefined };
      names.set(name, entry);
    }
    return entry;
  }

  get(id: number): string {
    const e = this.entries[id];
    if (e === undefined) throw new CodecError(`dictionary has no entry ${id} (size ${this.size})`);
    return e;
  }

  /** Forget entries added since `size`: undoes the interning of a write that rolled back. */
  truncate(size: number): void {
    if (size >= this.entries.length) return;
    for (let i = size; i < this.entries.length; i++) this.index.delete(this.entries[i] as string);
    this.entries.length = size;
    this.byTag.clear();
    this.groups.clear();
  }

  toBytes(): Uint8Array {
    return deflateRawSync(Buffer.from(JSON.stringify(this.entries), 'utf8'));
  }

  static fromBytes(bytes: Uint8Array): KeyDictionary {
    const parsed: unknown = JSON.parse(inflateRawSync(bytes).toString('utf8'));
    if (!Array.isArray(parsed) || !parsed.every((e) => typeof e === 'string')) {
      throw new CodecError('snapshot dictionary is not a list of strings');
    }
    return new KeyDictionary(parsed as string[]);
  }
}
