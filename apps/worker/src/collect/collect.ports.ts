import type { CollectResult, CollectTarget } from '@memfleet/collector';
import type { CollectionOutcome, HostRecord, IngestResult, SnapshotIngestItem } from '@memfleet/db';
import type { ParsedSnapshot } from '@memfleet/procfs';

/**
 * What the collect use case needs from the outside, named by what it does with it. The worker
 * module binds each port to the real library (libs/db, libs/collector, libs/secrets); the
 * integration tests bind the same real libraries, so these are seams, not mocks.
 */
export interface HostStore {
  findById(id: string): Promise<HostRecord | null>;
  recordCollection(id: string, outcome: CollectionOutcome): Promise<HostRecord>;
}

export interface SnapshotStore {
  /**
   * Stores one snapshot in one transaction. Idempotent on (hostId, collectedAt): storing the
   * same snapshot again (a retried job) stores nothing new and says so (`created: false`).
   */
  ingest(item: SnapshotIngestItem): Promise<IngestResult>;
}

/** Keeps the host's findings current (libs/db FindingsUpdater): after each stored snapshot or failure. */
export interface FindingsRecorder {
  afterIngest(hostId: string, parsed: ParsedSnapshot, collectedAt: Date): Promise<unknown>;
  afterCollectionFailure(host: HostRecord, at: Date): Promise<unknown>;
}

export interface Collector {
  collect(target: CollectTarget): Promise<CollectResult>;
}

/** Opens a host's sealed credentials (libs/secrets SecretBox). */
export interface SecretOpener {
  decrypt<T>(sealed: { readonly keyId: string; readonly ciphertext: string }): T;
}

export const HOST_STORE = Symbol('HostStore');
export const SNAPSHOT_STORE = Symbol('SnapshotStore');
export const COLLECTOR = Symbol('Collector');
export const FINDINGS = Symbol('FindingsRecorder');
export const SECRET_OPENER = Symbol('SecretOpener');
export const CLOCK = Symbol('Clock');
export type Clock = () => Date;
