import type { FindingKind, Severity } from '@memfleet/analysis';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { HostState } from '../hosts/host.types';
import type {
  FleetFindingsQuery,
  FleetFragmentationQuery,
  FleetFragmentationRow,
  FleetHostFindings,
  FleetSummary,
  FleetTunable,
  LabelFilter,
} from './finding.types';

/**
 * Fleet-wide questions. Each reads the per-host "latest" tables (host_latest, host_zone_latest:
 * one row per host or zone) or the open findings (finding_open_kind_idx), never the snapshot
 * history, so the cost follows the number of hosts. The SQL is here to be read; each query runs
 * on real Postgres in prisma-fleet.repository.int.spec.ts.
 */

/** A zone with less free memory is short of memory, not fragmented (same as the detectors). */
export const FLEET_MIN_ZONE_FREE_BYTES = 64 * 1024 * 1024;

const labelsJson = (l?: LabelFilter): string | null =>
  l && Object.keys(l).length > 0 ? JSON.stringify(l) : null;

const labelsMatch = (l?: LabelFilter) =>
  Prisma.sql`(${labelsJson(l)}::jsonb IS NULL OR h.labels @> ${labelsJson(l)}::jsonb)`;

export class PrismaFleetRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Hosts ranked by the unusable index of their worst zone at `order` (DMA left out). */
  async fragmentation(q: FleetFragmentationQuery): Promise<FleetFragmentationRow[]> {
    const rows = await this.prisma.$queryRaw<
      {
        host_id: string;
        name: string;
        node: number;
        zone: string;
        idx: number;
        free_bytes: bigint;
        collected_at: Date;
        since: Date | null;
      }[]
    >`
      SELECT w.*, f.started_at AS since FROM (
        SELECT DISTINCT ON (z.host_id) z.host_id, h.name, z.node, z.zone,
               z.unusable[${q.order + 1}::int] AS idx, z.free_bytes, z.collected_at
        FROM host_zone_latest z JOIN host h ON h.id = z.host_id
        WHERE z.free_bytes >= ${FLEET_MIN_ZONE_FREE_BYTES}
          AND (${q.zone ?? null}::text IS NULL AND z.zone <> 'DMA' OR z.zone = ${q.zone ?? null}::text)
          AND ${labelsMatch(q.labels)}
        ORDER BY z.host_id, z.unusable[${q.order + 1}::int] DESC NULLS LAST
      ) w
      LEFT JOIN finding f
        ON f.fingerprint = w.host_id::text || ':fragmentation:node' || w.node || '/' || w.zone
      ORDER BY w.idx DESC NULLS LAST, w.free_bytes DESC, w.name
      LIMIT ${q.limit}`;
    return rows.map((r) => ({
      hostId: r.host_id,
      hostName: r.name,
      subject: `node${r.node}/${r.zone}`,
      zone: r.zone,
      unusableIndex: Number(r.idx),
      freeBytes: Number(r.free_bytes),
      collectedAt: r.collected_at,
      fragmentedSince: r.since,
      // Up to the snapshot the index comes from: a host that stopped reporting is not "still" anything.
      fragmentedForSeconds: r.since
        ? Math.round((r.collected_at.getTime() - r.since.getTime()) / 1000)
        : null,
    }));
  }

  /** Hosts with open findings, most severe first (then most findings). */
  async findings(q: FleetFindingsQuery): Promise<FleetHostFindings[]> {
    const kinds = q.kinds?.length ? [...q.kinds] : null;
    const rows = await this.prisma.$queryRaw<
      {
        id: string;
        name: string;
        labels: Record<string, string>;
        state: HostState;
        worst: Severity;
        findings: {
          id: string;
          kind: FindingKind;
          severity: Severity;
          subject: string;
          started_at: string;
          summary: string;
        }[];
      }[]
    >`
      SELECT h.id::text, h.name, h.labels, h.state::text AS state, max(f.severity)::text AS worst,
             json_agg(json_build_object('id', f.id::text, 'kind', f.kind, 'severity', f.severity,
               'subject', f.subject, 'started_at', f.started_at, 'summary', f.summary)
               ORDER BY f.severity DESC, f.started_at) AS findings
      FROM finding f JOIN host h ON h.id = f.host_id
      WHERE f.ended_at IS NULL
        AND (${kinds}::text[] IS NULL OR f.kind::text = ANY(${kinds}::text[]))
        AND ${labelsMatch(q.labels)}
      GROUP BY h.id
      ORDER BY max(f.severity) DESC, count(*) DESC, h.name
      LIMIT ${q.limit}`;
    return rows.map((r) => ({
      hostId: r.id,
      hostName: r.name,
      labels: r.labels,
      state: r.state,
      worstSeverity: r.worst,
      findings: r.findings.map((f) => ({
        id: f.id,
        kind: f.kind,
        severity: f.severity,
        subject: f.subject,
        startedAt: new Date(f.started_at),
        summary: f.summary,
      })),
    }));
  }

  /** Hosts by state, open findings by kind and severity, and the top hosts of each detector. */
  async summary(topPerKind = 5): Promise<FleetSummary> {
    const [states, counts, top] = await Promise.all([
      this.prisma.$queryRaw<{ state: HostState; n: number }[]>`
        SELECT state::text AS state, count(*)::int AS n FROM host GROUP BY state`,
      this.prisma.$queryRaw<{ kind: FindingKind; severity: Severity; n: number }[]>`
        SELECT kind::text AS kind, severity::text AS severity, count(*)::int AS n
        FROM finding WHERE ended_at IS NULL GROUP BY kind, severity`,
      this.prisma.$queryRaw<
        {
          kind: FindingKind;
          host_id: string;
          name: string;
          severity: Severity;
          subject: string;
          started_at: Date;
        }[]
      >`
        SELECT t.kind::text AS kind, t.host_id::text, h.name, t.severity::text AS severity,
               t.subject, t.started_at
        FROM (
          SELECT w.*, row_number() OVER (
                   PARTITION BY w.kind ORDER BY w.severity DESC, w.started_at, w.host_id) AS rn
          FROM (
            SELECT DISTINCT ON (host_id, kind) host_id, kind, severity, subject, started_at
            FROM finding WHERE ended_at IS NULL
            ORDER BY host_id, kind, severity DESC, started_at
          ) w
        ) t JOIN host h ON h.id = t.host_id
        WHERE t.rn <= ${topPerKind}
        ORDER BY t.kind, t.rn`,
    ]);
    const hostsByState: Partial<Record<HostState, number>> = {};
    for (const s of states) hostsByState[s.state] = s.n;
    const byKind = new Map<
      FindingKind,
      { open: number; bySeverity: Partial<Record<Severity, number>> }
    >();
    for (const c of counts) {
      const k = byKind.get(c.kind) ?? { open: 0, bySeverity: {} };
      k.open += c.n;
      k.bySeverity[c.severity] = c.n;
      byKind.set(c.kind, k);
    }
    const topByKind = new Map<
      FindingKind,
      FleetSummary['topHostsByKind'][number]['hosts'][number][]
    >();
    for (const t of top) {
      const list = topByKind.get(t.kind) ?? [];
      list.push({
        hostId: t.host_id,
        hostName: t.name,
        severity: t.severity,
        subject: t.subject,
        startedAt: t.started_at,
      });
      topByKind.set(t.kind, list);
    }
    return {
      hostsByState,
      hostCount: states.reduce((s, x) => s + x.n, 0),
      findingsByKind: [...byKind]
        .map(([kind, v]) => ({ kind, ...v }))
        .sort((a, b) => b.open - a.open),
      topHostsByKind: [...topByKind].map(([kind, hosts]) => ({ kind, hosts })),
    };
  }

  /**
   * Each vm.* value across the fleet and the hosts off the majority. A tie for the most common
   * value has no majority, so no host is called drifting on that tunable.
   */
  async tunables(labels?: LabelFilter, driftLimit = 1000): Promise<FleetTunable[]> {
    const values = Prisma.sql`
      SELECT l.host_id, h.name, t.key, (t.value #>> '{}')::float8 AS value
      FROM host_latest l JOIN host h ON h.id = l.host_id
      CROSS JOIN LATERAL jsonb_each(COALESCE(l.tunables, '{}'::jsonb)) t
      WHERE jsonb_typeof(t.value) = 'number' AND ${labelsMatch(labels)}`;
    const [dist, drift] = await Promise.all([
      this.prisma.$queryRaw<{ key: string; value: number; n: number }[]>`
        WITH v AS (${values})
        SELECT key, value, count(*)::int AS n FROM v GROUP BY key, value
        ORDER BY key, n DESC, value`,
      this.prisma.$queryRaw<{ host_id: string; name: string; key: string; value: number }[]>`
        WITH v AS (${values}),
        d AS (SELECT key, value, count(*) AS n FROM v GROUP BY key, value),
        top AS (SELECT key, max(n) AS n FROM d GROUP BY key),
        maj AS (SELECT d.key, min(d.value) AS value, count(*) AS ties
                FROM d JOIN top ON top.key = d.key AND top.n = d.n GROUP BY d.key)
        SELECT v.host_id::text, v.name, v.key, v.value
        FROM v JOIN maj ON maj.key = v.key
        WHERE maj.ties = 1 AND v.value <> maj.value
        ORDER BY v.key, v.name
        LIMIT ${driftLimit}`,
    ]);
    const out = new Map<
      string,
      { distribution: { value: number; hosts: number }[]; drift: FleetTunable['drift'][number][] }
    >();
    for (const d of dist) {
      const t = out.get(d.key) ?? { distribution: [], drift: [] };
      t.distribution.push({ value: d.value, hosts: d.n });
      out.set(d.key, t);
    }
    for (const d of drift)
      out.get(d.key)?.drift.push({ hostId: d.host_id, hostName: d.name, value: d.value });
    return [...out].map(([name, t]) => {
      const [first, second] = t.distribution;
      const majority = first && (!second || second.hosts < first.hosts) ? first.value : null;
      return {
        name,
        distribution: t.distribution,
        majority,
        hostsReporting: t.distribution.reduce((s, x) => s + x.hosts, 0),
        drift: t.drift,
      };
    });
  }
}
