import { SshCollector } from '@memfleet/collector';
import type { AppConfig } from '@memfleet/config';
import type { HostRecord } from '@memfleet/db';
import { SecretBox } from '@memfleet/secrets';
import type {
  Collector,
  FindingsRecorder,
  HostStore,
  SecretOpener,
  SnapshotStore,
} from './collect/collect.ports';
import { openDatabase } from './database';

export const INFRASTRUCTURE = Symbol('WorkerInfrastructure');

/** Every outside system the worker talks to, created once at boot and closed once at shutdown. */
export interface WorkerInfrastructure {
  readonly hosts: HostStore & { listSchedulable(): Promise<readonly HostRecord[]> };
  readonly snapshots: SnapshotStore;
  readonly findings: FindingsRecorder;
  readonly collector: Collector;
  readonly secrets: SecretOpener;
  /** Throws when the database cannot be used; boot stops instead of failing every job. */
  ready(): Promise<void>;
  /** Waits for collections in flight, then closes SSH connections and the database. */
  close(): Promise<void>;
}

export function createInfrastructure(config: AppConfig): WorkerInfrastructure {
  const collector = new SshCollector({
    readyTimeoutMs: config.collector.handshakeTimeoutMs,
    commandTimeoutMs: config.collector.commandTimeoutMs,
    maxOutputBytes: config.collector.maxOutputBytes,
  });
  // Enough connections that ingests never queue behind each other at full job concurrency.
  const db = openDatabase(
    config.databaseUrl,
    Math.min(Math.max(4, Math.ceil(config.worker.concurrency / 4)), 20),
  );
  return {
    hosts: db.hosts,
    snapshots: db.snapshots,
    findings: db.findings,
    collector,
    secrets: new SecretBox(config.secretKeys),
    ready: db.ready,
    async close() {
      await collector.closeAll();
      await db.close();
    },
  };
}
