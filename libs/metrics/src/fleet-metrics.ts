import { Gauge, type Registry } from 'prom-client';

/** What the API reads from Postgres and Redis at scrape time; see apps/api/src/metrics. */
export interface FleetSample {
  /** Exact for small tables, Postgres' planner estimate for large ones. */
  readonly snapshotsStored: number;
  /** Absent when the queue did not answer in time: no sample beats a stale zero. */
  readonly queueDepth?: readonly { queue: string; state: string; count: number }[];
  readonly hostsByState: readonly { state: string; count: number }[];
  readonly activeFindingsByKind: readonly { kind: string; count: number }[];
  readonly zoneUnusableOrder4: readonly {
    host: string;
    node: number;
    zone: string;
    index: number;
  }[];
  readonly hostSlabBytes: readonly { host: string; bytes: number }[];
}

export interface FleetMetrics {
  /**
   * Replaces every fleet gauge with the sample. Synchronous on purpose: two scrapes at once can
   * each only ever render one whole sample, never half of one and half of the other.
   */
  update(sample: FleetSample): void;
}

export function createFleetMetrics(registry: Registry): FleetMetrics {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const snapshots = gauge(
    'memfleet_snapshots_stored_total',
    'Snapshots stored in Postgres (planner estimate once the table is large)',
    [],
  );
  const queueDepth = gauge('memfleet_queue_depth', 'BullMQ jobs per queue and state', [
    'queue',
    'state',
  ]);
  const hosts = gauge('memfleet_hosts', 'Hosts per collection state', ['state']);
  const findings = gauge('memfleet_findings_active', 'Open findings per kind', ['kind']);
  const unusable = gauge(
    'memfleet_host_unusable_index',
    'Unusable free space index (0..1) of each zone in the latest snapshot',
    ['host', 'node', 'zone', 'order'],
  );
  const slab = gauge('memfleet_host_slab_bytes', 'Slab memory in the latest snapshot', ['host']);

  return {
    update(sample) {
      for (const g of [queueDepth, hosts, findings, unusable, slab]) g.reset();
      snapshots.set(sample.snapshotsStored);
      for (const q of sample.queueDepth ?? []) {
        queueDepth.set({ queue: q.queue, state: q.state }, q.count);
      }
      for (const h of sample.hostsByState) hosts.set({ state: h.state }, h.count);
      for (const f of sample.activeFindingsByKind) findings.set({ kind: f.kind }, f.count);
      for (const z of sample.zoneUnusableOrder4) {
        unusable.set({ host: z.host, node: String(z.node), zone: z.zone, order: '4' }, z.index);
      }
      for (const s of sample.hostSlabBytes) slab.set({ host: s.host }, s.bytes);
    },
  };
}
