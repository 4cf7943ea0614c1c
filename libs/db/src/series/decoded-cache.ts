import type { SectionSelection, SnapshotContent } from '../snapshots/codec';

/**
 * Section-selective decodes of snapshot rows, least recently used first out. A stored snapshot
 * never changes, so an entry stays right for as long as its row exists; the key holds the host,
 * the row id (never reused by the sequence) and the seq, so even a table emptied with its
 * identity restarted cannot hand back another row's content. Only selective decodes are kept:
 * their content is a few sections, and the callers that ask for them only read it.
 */
export class DecodedCache {
  private readonly entries = new Map<string, SnapshotContent>();

  constructor(readonly capacity: number) {}

  static keyOf(select: SectionSelection): string {
    return JSON.stringify([select.sections, select.vmstatCounters ?? null]);
  }

  get(selectKey: string, hostId: string, id: bigint, seq: number): SnapshotContent | undefined {
    const key = `${selectKey}|${hostId}|${id}|${seq}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(selectKey: string, hostId: string, id: bigint, seq: number, content: SnapshotContent): void {
    const key = `${selectKey}|${hostId}|${id}|${seq}`;
    this.entries.delete(key);
    this.entries.set(key, content);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
