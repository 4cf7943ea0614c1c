import type { SeriesPoint } from './series-point';

/** Test-only builders of labelled synthetic series. */
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export interface PointSpec {
  /** Seconds after T0. */
  readonly t: number;
  readonly sRecl?: number;
  readonly sUnrecl?: number;
  readonly caches?: Record<string, number>;
  readonly dropSlab?: number;
  readonly dropPagecache?: number;
  readonly pgfault?: number;
  readonly bootId?: string;
  readonly memAvailable?: number;
  readonly memTotal?: number;
}

export function point(s: PointSpec): SeriesPoint {
  return {
    at: new Date(T0 + s.t * 1000),
    memTotalBytes: s.memTotal ?? 16 * GiB,
    memAvailableBytes: s.memAvailable,
    sReclaimableBytes: s.sRecl,
    sUnreclaimBytes: s.sUnrecl,
    slabBytes: s.sRecl !== undefined && s.sUnrecl !== undefined ? s.sRecl + s.sUnrecl : undefined,
    caches: s.caches ? new Map(Object.entries(s.caches)) : undefined,
    dropSlab: s.dropSlab === undefined ? undefined : BigInt(s.dropSlab),
    dropPagecache: s.dropPagecache === undefined ? undefined : BigInt(s.dropPagecache),
    pgfault: s.pgfault === undefined ? undefined : BigInt(s.pgfault),
    bootId: s.bootId,
  };
}

/** A deterministic noise source for labelled series (same numbers on every run). */
export function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296 - 0.5;
  };
}
