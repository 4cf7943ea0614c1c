import type { Finding, FindingKind, Severity } from '../finding';
import {
  DEFAULT_FINDINGS_ENGINE_OPTIONS,
  findingKey,
  type ActiveFinding,
  type ClosedFinding,
  type FindingsEngineOptions,
  type FindingsUpdate,
} from './findings-engine.types';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Several detectors can report the same (kind, subject): the snapshot diagnosis and the trend both
 * see a fragmented zone. One finding per subject: the most severe wins (the first on a tie, so
 * callers list the richer source first) and the others add the evidence it lacks.
 */
export function mergeCandidates(candidates: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const c of candidates) {
    const key = findingKey(c);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, c);
      continue;
    }
    const [win, lose] = RANK[c.severity] > RANK[prev.severity] ? [c, prev] : [prev, c];
    const names = new Set(win.evidence.map((e) => e.name));
    byKey.set(key, {
      ...win,
      evidence: [...win.evidence, ...lose.evidence.filter((e) => !names.has(e.name))],
    });
  }
  return [...byKey.values()];
}

/**
 * One evaluation: the host's open findings + what the detectors report now -> opened, updated,
 * closed. Only kinds in `scope` are judged (a failed collection says nothing about slab, so it
 * must not count as a miss for slab findings); open findings of other kinds pass through unchanged.
 */
export function reconcileFindings(
  active: readonly ActiveFinding[],
  candidates: readonly Finding[],
  at: Date,
  scope: ReadonlySet<FindingKind>,
  options: Partial<FindingsEngineOptions> = {},
): FindingsUpdate {
  const opts = { ...DEFAULT_FINDINGS_ENGINE_OPTIONS, ...options };
  const now = new Map(mergeCandidates(candidates).map((c) => [findingKey(c), c]));
  const opened: ActiveFinding[] = [];
  const updated: ActiveFinding[] = [];
  const closed: ClosedFinding[] = [];
  for (const a of active) {
    const key = findingKey(a);
    const c = now.get(key);
    now.delete(key);
    if (c) {
      updated.push({ ...a, ...c, lastSeenAt: at, misses: 0, clearedAt: null });
      continue;
    }
    if (!scope.has(a.kind)) {
      updated.push(a);
      continue;
    }
    const misses = a.misses + 1;
    const clearedAt = a.clearedAt ?? at;
    const limit = opts.closeAfterMissesByKind[a.kind] ?? opts.closeAfterMisses;
    if (misses >= limit) closed.push({ ...a, misses, clearedAt, endedAt: clearedAt });
    else updated.push({ ...a, misses, clearedAt });
  }
  for (const c of now.values()) {
    if (!scope.has(c.kind)) continue;
    opened.push({ ...c, startedAt: at, lastSeenAt: at, misses: 0, clearedAt: null });
  }
  return { opened, updated, closed };
}
