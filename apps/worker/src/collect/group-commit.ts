import { DomainError } from '@memfleet/db';

export type IngestMany<I, R> = (items: readonly I[]) => Promise<readonly R[]>;

interface Pending<I, R> {
  readonly item: I;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for snapshot ingest: many collections finish at once, and one transaction of 50
 * snapshots costs little more than one of 1. The first caller writes at once (no added latency);
 * callers arriving while that write is in flight are written together in the next one.
 *
 * A batch that fails on one bad item (its host was deleted: a DomainError) is retried item by item,
 * so the others are still stored; any other error (database down) fails the whole batch, and
 * each job is retried by BullMQ.
 */
export class GroupCommit<I, R> {
  private pending: Pending<I, R>[] = [];
  private writing = false;

  constructor(
    private readonly ingestMany: IngestMany<I, R>,
    private readonly maxBatch = 200,
  ) {}

  ingest(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.ingestMany(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      if (batch.length === 1 || !(error instanceof DomainError)) {
        for (const p of batch) p.reject(error);
        return;
      }
      for (const p of batch) await this.write([p]);
    }
  }
}
