import type { ActiveFinding, CompactPoint, Evidence, FindingKind } from '@memfleet/analysis';
import type { Prisma } from '../generated/prisma/client';
import type { HostLatestData } from './host-latest';

type Tx = Prisma.TransactionClient;

/**
 * Set-based SQL for FindingsUpdater's batches: every statement covers all hosts of the batch, so a
 * batch of 100 evaluations costs about as many round-trips as one. Arrays go as text[] (ISO
 * timestamps, JSON text) and are cast in SQL: nulls survive, and nothing goes through Prisma's
 * per-row model mapping, which was most of the per-snapshot cost.
 */

/** An open finding as loaded, with the fingerprint that addresses it. */
export interface LoadedFinding {
  readonly hostId: string;
  readonly finding: ActiveFinding;
}

export interface BatchState {
  readonly latest: ReadonlyMap<string, Date>;
  readonly open: ReadonlyMap<string, ActiveFinding[]>;
  readonly window: ReadonlyMap<string, CompactPoint[]>;
}

export const fingerprintOf = (hostId: string, f: { kind: string; subject: string }): string =>
  `${hostId}:${f.kind}:${f.subject}`;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** Same lock as PrismaFindingRepository.evaluate; taken in one order so batches never deadlock. */
export async function lockHosts(tx: Tx, hostIds: readonly string[]): Promise<void> {
  const sorted = [...hostIds].sort();
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtext('finding:' || h))
    FROM unnest(${sorted}::text[]) WITH ORDINALITY AS u(h, i) ORDER BY i`;
}

/** Newest evaluated time, open findings and stored window points (oldest first) of each host. */
export async function readState(
  tx: Tx,
  items: readonly { hostId: string; since: Date; before: Date }[],
  limit: number,
): Promise<BatchState> {
  const ids = items.map((i) => i.hostId);
  const latestRows = await tx.$queryRaw<{ h: string; at: Date }[]>`
    SELECT host_id::text AS h, collected_at AS at FROM host_latest WHERE host_id = ANY(${ids}::uuid[])`;
  const openRows = await tx.$queryRaw<OpenRow[]>`
    SELECT host_id::text AS h, kind::text AS kind, subject, severity::text AS severity, started_at,
           last_seen_at, cleared_at, misses, summary, advice, evidence::text AS evidence
    FROM finding WHERE host_id = ANY(${ids}::uuid[]) AND ended_at IS NULL ORDER BY id`;
  // As text, parsed here: Prisma's own JSON result handling costs ~10x JSON.parse.
  const windowRows = await tx.$queryRaw<{ h: string; p: string }[]>`
    SELECT q.h::text AS h, w.p FROM unnest(${ids}::uuid[], ${items.map((i) => iso(i.since))}::text[],
      ${items.map((i) => iso(i.before))}::text[]) AS q(h, since, before)
    CROSS JOIN LATERAL (
      SELECT point::text AS p, collected_at FROM finding_window_point
      WHERE host_id = q.h AND collected_at >= q.since::timestamptz AND collected_at < q.before::timestamptz
      ORDER BY collected_at DESC LIMIT ${limit}) w
    ORDER BY q.h, w.collected_at`;
  const open = new Map<string, ActiveFinding[]>();
  for (const r of openRows) {
    const list = open.get(r.h) ?? [];
    list.push(toActive(r));
    open.set(r.h, list);
  }
  const window = new Map<string, CompactPoint[]>();
  for (const r of windowRows) {
    const list = window.get(r.h) ?? [];
    list.push(JSON.parse(r.p) as CompactPoint);
    window.set(r.h, list);
  }
  return { latest: new Map(latestRows.map((r) => [r.h, r.at])), open, window };
}

interface OpenRow {
  h: string;
  kind: string;
  subject: string;
  severity: string;
  started_at: Date;
  last_seen_at: Date;
  cleared_at: Date | null;
  misses: number;
  summary: string;
  advice: string;
  evidence: string;
}

function toActive(r: OpenRow): ActiveFinding {
  return {
    kind: r.kind as FindingKind,
    severity: r.severity as ActiveFinding['severity'],
    subject: r.subject,
    summary: r.summary,
    advice: r.advice,
    evidence: JSON.parse(r.evidence) as Evidence[],
    startedAt: r.started_at,
    lastSeenAt: r.last_seen_at,
    misses: r.misses,
    clearedAt: r.cleared_at,
  };
}

/** An open finding whose row already holds these values needs no write. */
export function sameFinding(a: ActiveFinding, b: ActiveFinding): boolean {
  return (
    a.severity === b.severity &&
    a.summary === b.summary &&
    a.advice === b.advice &&
    a.misses === b.misses &&
    a.lastSeenAt.getTime() === b.lastSeenAt.getTime() &&
    (a.clearedAt?.getTime() ?? null) === (b.clearedAt?.getTime() ?? null) &&
    JSON.stringify(a.evidence) === JSON.stringify(b.evidence)
  );
}

export interface BatchWrites {
  readonly opened: readonly LoadedFinding[];
  /** Updated (endedAt null) or closed findings, addressed by their open fingerprint. */
  readonly changed: readonly (LoadedFinding & { readonly endedAt: Date | null })[];
  readonly latest: readonly { readonly hostId: string; readonly data: HostLatestData }[];
  readonly points: readonly { hostId: string; collectedAt: Date; point: CompactPoint }[];
  readonly trim: readonly { hostId: string; keepSince: Date }[];
  readonly keepPoints: number;
}

export async function writeBatch(tx: Tx, w: BatchWrites): Promise<void> {
  // Closes first: a subject closed and reopened never shares a fingerprint with its open row.
  if (w.changed.length > 0) {
    const c = w.changed;
    await tx.$executeRaw`
      UPDATE finding f SET severity = u.severity::finding_severity, summary = u.summary,
        advice = u.advice, evidence = u.evidence::jsonb, last_seen_at = u.seen::timestamptz,
        cleared_at = u.cleared::timestamptz, misses = u.misses, ended_at = u.ended::timestamptz,
        fingerprint = CASE WHEN u.ended IS NULL THEN f.fingerprint END, updated_at = now()
      FROM unnest(${c.map((x) => fingerprintOf(x.hostId, x.finding))}::text[],
        ${c.map((x) => x.finding.severity)}::text[], ${c.map((x) => x.finding.summary)}::text[],
        ${c.map((x) => x.finding.advice)}::text[],
        ${c.map((x) => JSON.stringify(x.finding.evidence))}::text[],
        ${c.map((x) => iso(x.finding.lastSeenAt))}::text[],
        ${c.map((x) => iso(x.finding.clearedAt))}::text[], ${c.map((x) => x.finding.misses)}::int[],
        ${c.map((x) => iso(x.endedAt))}::text[])
        AS u(fp, severity, summary, advice, evidence, seen, cleared, misses, ended)
      WHERE f.fingerprint = u.fp`;
  }
  if (w.opened.length > 0) {
    const o = w.opened;
    await tx.$executeRaw`
      INSERT INTO finding (host_id, kind, subject, severity, started_at, last_seen_at, cleared_at,
        misses, summary, advice, evidence, fingerprint, updated_at)
      SELECT h::uuid, k::finding_kind, s, sev::finding_severity, st::timestamptz, seen::timestamptz,
        cl::timestamptz, m, su, ad, ev::jsonb, fp, now()
      FROM unnest(${o.map((x) => x.hostId)}::text[], ${o.map((x) => x.finding.kind)}::text[],
        ${o.map((x) => x.finding.subject)}::text[], ${o.map((x) => x.finding.severity)}::text[],
        ${o.map((x) => iso(x.finding.startedAt))}::text[],
        ${o.map((x) => iso(x.finding.lastSeenAt))}::text[],
        ${o.map((x) => iso(x.finding.clearedAt))}::text[], ${o.map((x) => x.finding.misses)}::int[],
        ${o.map((x) => x.finding.summary)}::text[], ${o.map((x) => x.finding.advice)}::text[],
        ${o.map((x) => JSON.stringify(x.finding.evidence))}::text[],
        ${o.map((x) => fingerprintOf(x.hostId, x.finding))}::text[])
        AS u(h, k, s, sev, st, seen, cl, m, su, ad, ev, fp)`;
  }
  await writeLatest(tx, w.latest);
  await writeWindow(tx, w);
}

async function writeLatest(tx: Tx, latest: BatchWrites['latest']): Promise<void> {
  if (latest.length === 0) return;
  const tunables = latest.map((l) =>
    l.data.tunables === null ? null : JSON.stringify(l.data.tunables),
  );
  // A snapshot without tunables (sysctl unreadable) keeps the last known ones.
  await tx.$executeRaw`
    INSERT INTO host_latest (host_id, collected_at, tunables)
    SELECT h::uuid, c::timestamptz, t::jsonb FROM unnest(${latest.map((l) => l.hostId)}::text[],
      ${latest.map((l) => iso(l.data.collectedAt))}::text[], ${tunables}::text[]) AS u(h, c, t)
    ON CONFLICT (host_id) DO UPDATE SET collected_at = EXCLUDED.collected_at,
      tunables = COALESCE(EXCLUDED.tunables, host_latest.tunables)`;
  const withZones = latest.filter((l) => l.data.zones !== null);
  if (withZones.length === 0) return;
  const zones = withZones.flatMap((l) =>
    (l.data.zones ?? []).map((z) => ({ hostId: l.hostId, at: l.data.collectedAt, z })),
  );
  await tx.$executeRaw`
    DELETE FROM host_zone_latest WHERE host_id = ANY(${withZones.map((l) => l.hostId)}::uuid[])`;
  if (zones.length === 0) return;
  // unusable goes as an array literal per row: unnest would flatten a 2-D array.
  await tx.$executeRaw`
    INSERT INTO host_zone_latest (host_id, node, zone, collected_at, unusable, free_bytes)
    SELECT h::uuid, n, z, c::timestamptz, u::real[], f::bigint
    FROM unnest(${zones.map((r) => r.hostId)}::text[], ${zones.map((r) => r.z.node)}::int[],
      ${zones.map((r) => r.z.zone)}::text[], ${zones.map((r) => iso(r.at))}::text[],
      ${zones.map((r) => `{${r.z.unusable.join(',')}}`)}::text[],
      ${zones.map((r) => BigInt(r.z.freeBytes).toString())}::text[]) AS x(h, n, z, c, u, f)`;
}

async function writeWindow(tx: Tx, w: BatchWrites): Promise<void> {
  const p = w.points;
  if (p.length > 0) {
    await tx.$executeRaw`
      INSERT INTO finding_window_point (host_id, collected_at, point)
      SELECT h::uuid, c::timestamptz, j::jsonb FROM unnest(${p.map((x) => x.hostId)}::text[],
        ${p.map((x) => iso(x.collectedAt))}::text[], ${p.map((x) => JSON.stringify(x.point))}::text[])
        AS u(h, c, j)
      ON CONFLICT DO NOTHING`;
  }
  if (w.trim.length === 0) return;
  // Bounded: older than the window, or beyond its newest keepPoints.
  await tx.$executeRaw`
    DELETE FROM finding_window_point w
    USING unnest(${w.trim.map((t) => t.hostId)}::uuid[], ${w.trim.map((t) => iso(t.keepSince))}::text[])
      AS k(h, since)
    WHERE w.host_id = k.h AND (w.collected_at < k.since::timestamptz OR w.collected_at < (
      SELECT collected_at FROM finding_window_point WHERE host_id = k.h
      ORDER BY collected_at DESC OFFSET ${w.keepPoints - 1} LIMIT 1))`;
}
