import type { ActiveFinding, CompactPoint } from '@memfleet/analysis';
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
  // One statement: round-trips, not rows, are what a batch of a few evaluations pays for. JSON
  // comes back as text and is parsed here: Prisma's own JSON result handling costs ~10x JSON.parse.
  const rows = await tx.$queryRaw<
    { h: string; latest: Date | null; open: string | null; win: string | null }[]
  >`
    SELECT q.h::text AS h,
      (SELECT collected_at FROM host_latest l WHERE l.host_id = q.h) AS latest,
      (SELECT json_agg(json_build_object('kind', kind, 'subject', subject, 'severity', severity,
          'startedAt', started_at, 'lastSeenAt', last_seen_at, 'clearedAt', cleared_at,
          'misses', misses, 'summary', summary, 'advice', advice, 'evidence', evidence)
          ORDER BY id)::text
        FROM finding f WHERE f.host_id = q.h AND f.ended_at IS NULL) AS open,
      (SELECT '[' || string_agg(w.p, ',' ORDER BY w.at) || ']' FROM (
          SELECT point::text AS p, collected_at AS at FROM finding_window_point
          WHERE host_id = q.h AND collected_at >= q.since::timestamptz
            AND collected_at < q.before::timestamptz
          ORDER BY collected_at DESC LIMIT ${limit}) w) AS win
    FROM unnest(${items.map((i) => i.hostId)}::uuid[], ${items.map((i) => iso(i.since))}::text[],
      ${items.map((i) => iso(i.before))}::text[]) AS q(h, since, before)`;
  const latest = new Map<string, Date>();
  const open = new Map<string, ActiveFinding[]>();
  const window = new Map<string, CompactPoint[]>();
  for (const r of rows) {
    if (r.latest !== null) latest.set(r.h, r.latest);
    if (r.open !== null) open.set(r.h, (JSON.parse(r.open) as OpenJson[]).map(toActive));
    if (r.win !== null) window.set(r.h, JSON.parse(r.win) as CompactPoint[]);
  }
  return { latest, open, window };
}

type OpenJson = Omit<ActiveFinding, 'startedAt' | 'lastSeenAt' | 'clearedAt'> & {
  startedAt: string;
  lastSeenAt: string;
  clearedAt: string | null;
};

function toActive(r: OpenJson): ActiveFinding {
  return {
    kind: r.kind,
    severity: r.severity,
    subject: r.subject,
    summary: r.summary,
    advice: r.advice,
    evidence: r.evidence,
    startedAt: new Date(r.startedAt),
    lastSeenAt: new Date(r.lastSeenAt),
    misses: r.misses,
    clearedAt: r.clearedAt === null ? null : new Date(r.clearedAt),
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
  await writeLatestAndWindow(tx, w);
  await trimWindow(tx, w);
}

/**
 * host_latest, host_zone_latest and the new window points in one statement (disjoint tables, so
 * the data-modifying CTEs cannot see each other's rows). Zones are upserted and the zones a host
 * no longer reports deleted, which leaves what delete-then-insert would.
 */
async function writeLatestAndWindow(tx: Tx, w: BatchWrites): Promise<void> {
  const latest = w.latest;
  if (latest.length === 0 && w.points.length === 0) return;
  const tunables = latest.map((l) =>
    l.data.tunables === null ? null : JSON.stringify(l.data.tunables),
  );
  const withZones = latest.filter((l) => l.data.zones !== null).map((l) => l.hostId);
  const zones = latest.flatMap((l) =>
    (l.data.zones ?? []).map((z) => ({ hostId: l.hostId, at: l.data.collectedAt, z })),
  );
  const p = w.points;
  // A snapshot without tunables (sysctl unreadable) keeps the last known ones. unusable goes as
  // an array literal per row: unnest would flatten a 2-D array.
  await tx.$executeRaw`
    WITH z AS (
      SELECT h::uuid AS h, n::smallint AS n, zn, c::timestamptz AS c, u::real[] AS u, f::bigint AS f
      FROM unnest(${zones.map((r) => r.hostId)}::text[], ${zones.map((r) => r.z.node)}::int[],
        ${zones.map((r) => r.z.zone)}::text[], ${zones.map((r) => iso(r.at))}::text[],
        ${zones.map((r) => `{${r.z.unusable.join(',')}}`)}::text[],
        ${zones.map((r) => BigInt(r.z.freeBytes).toString())}::text[]) AS x(h, n, zn, c, u, f)
    ), latest AS (
      INSERT INTO host_latest (host_id, collected_at, tunables)
      SELECT h::uuid, c::timestamptz, t::jsonb FROM unnest(${latest.map((l) => l.hostId)}::text[],
        ${latest.map((l) => iso(l.data.collectedAt))}::text[], ${tunables}::text[]) AS u(h, c, t)
      ON CONFLICT (host_id) DO UPDATE SET collected_at = EXCLUDED.collected_at,
        tunables = COALESCE(EXCLUDED.tunables, host_latest.tunables)
    ), gone AS (
      DELETE FROM host_zone_latest o WHERE o.host_id = ANY(${withZones}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM z WHERE z.h = o.host_id AND z.n = o.node AND z.zn = o.zone)
    ), zones AS (
      INSERT INTO host_zone_latest (host_id, node, zone, collected_at, unusable, free_bytes)
      SELECT h, n, zn, c, u, f FROM z
      ON CONFLICT (host_id, node, zone) DO UPDATE SET collected_at = EXCLUDED.collected_at,
        unusable = EXCLUDED.unusable, free_bytes = EXCLUDED.free_bytes
    ), points AS (
      INSERT INTO finding_window_point (host_id, collected_at, point)
      SELECT h::uuid, c::timestamptz, j::jsonb FROM unnest(${p.map((x) => x.hostId)}::text[],
        ${p.map((x) => iso(x.collectedAt))}::text[], ${p.map((x) => JSON.stringify(x.point))}::text[])
        AS u(h, c, j)
      ON CONFLICT DO NOTHING
    )
    SELECT 1`;
}

async function trimWindow(tx: Tx, w: BatchWrites): Promise<void> {
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
