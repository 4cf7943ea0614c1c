import type { Evidence, FindingKind, Severity } from '@memfleet/analysis';
import type { HostState } from '../hosts/host.types';

/** Domain types of stored findings and fleet views. No Prisma type leaves libs/db. */

export interface StoredFinding {
  readonly id: string;
  readonly hostId: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly subject: string;
  readonly startedAt: Date;
  /** null while open. */
  readonly endedAt: Date | null;
  readonly lastSeenAt: Date;
  readonly summary: string;
  readonly advice: string;
  readonly evidence: readonly Evidence[];
}

export interface FindingRangeQuery {
  /** Findings active at any time in [from, to]. */
  readonly from: Date;
  readonly to: Date;
  readonly kinds?: readonly FindingKind[];
}

/** Labels filter: every pair must match (`labels @> ...`, the GIN index). */
export type LabelFilter = Readonly<Record<string, string>>;

export interface FleetFragmentationQuery {
  /** 0..10 */
  readonly order: number;
  /** Zone name (`Normal`, `DMA32`); all zones when absent. */
  readonly zone?: string;
  readonly labels?: LabelFilter;
  readonly limit: number;
}

export interface FleetFragmentationRow {
  readonly hostId: string;
  readonly hostName: string;
  /** `node0/Normal` */
  readonly subject: string;
  readonly zone: string;
  /** Unusable free space index at the order, 0..1, of the host's latest snapshot. */
  readonly unusableIndex: number;
  readonly freeBytes: number;
  readonly collectedAt: Date;
  /** Start of the open fragmentation finding of this zone, null when there is none. */
  readonly fragmentedSince: Date | null;
  /** collectedAt - fragmentedSince: how long it has been fragmented, as of its latest snapshot. */
  readonly fragmentedForSeconds: number | null;
}

export interface FleetFindingsQuery {
  readonly kinds?: readonly FindingKind[];
  readonly labels?: LabelFilter;
  readonly limit: number;
}

export interface FleetHostFindings {
  readonly hostId: string;
  readonly hostName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: HostState;
  readonly worstSeverity: Severity;
  /** Open findings of the host, most severe first. */
  readonly findings: readonly Pick<
    StoredFinding,
    'id' | 'kind' | 'severity' | 'subject' | 'startedAt' | 'summary'
  >[];
}

export interface FleetSummary {
  readonly hostsByState: Readonly<Partial<Record<HostState, number>>>;
  readonly hostCount: number;
  /** Open findings per kind and severity. */
  readonly findingsByKind: readonly {
    readonly kind: FindingKind;
    readonly open: number;
    readonly bySeverity: Readonly<Partial<Record<Severity, number>>>;
  }[];
  /** Per kind, the hosts with the most severe (then oldest) open finding. */
  readonly topHostsByKind: readonly {
    readonly kind: FindingKind;
    readonly hosts: readonly {
      readonly hostId: string;
      readonly hostName: string;
      readonly severity: Severity;
      readonly subject: string;
      readonly startedAt: Date;
    }[];
  }[];
}

export interface FleetTunable {
  readonly name: string;
  /** value -> hosts, most common first. */
  readonly distribution: readonly { readonly value: number; readonly hosts: number }[];
  /** The most common value, null on a tie between the most common values. */
  readonly majority: number | null;
  readonly hostsReporting: number;
  /** Hosts whose value differs from the majority. */
  readonly drift: readonly {
    readonly hostId: string;
    readonly hostName: string;
    readonly value: number;
  }[];
}
