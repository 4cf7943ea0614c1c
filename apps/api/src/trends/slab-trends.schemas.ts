import { z } from 'zod';

/** HTTP shapes of the slab and fragmentation trend endpoints. Sizes are bytes, times ISO-8601. */

const iso = z.iso.datetime({ offset: true });
const bytes = z.number().int();
const cacheBytes = z.object({ name: z.string(), bytes });
const rangeEcho = { from: iso, to: iso };
const analysisNotes = {
  pointCount: z.number().int().describe('Snapshots analysed (all in range, from the columns)'),
  decodedCount: z
    .number()
    .int()
    .describe('Of those, decoded for per-cache figures (a sample plus both sides of each drop)'),
  reasons: z.array(z.string()),
};

export const slabSeriesResponseSchema = z.object({
  ...rangeEcho,
  bucketSeconds: z.number().int(),
  at: z.array(iso).describe('Times of the sampled snapshots (one per non-empty bucket)'),
  caches: z.array(
    z.object({
      name: z.string(),
      bytes: z
        .array(bytes.nullable())
        .describe('Size at each `at`; null where the cache was absent'),
    }),
  ),
});
export type SlabSeriesResponse = z.infer<typeof slabSeriesResponseSchema>;

export const slabDropsResponseSchema = z.object({
  ...rangeEcho,
  measure: z.enum(['SReclaimable', 'Slab', 'cache_sum']).nullable(),
  ...analysisNotes,
  drops: z.array(
    z.object({
      at: iso.describe('First point after the drop'),
      beforeAt: iso,
      trigger: z.enum(['drop_caches', 'inferred']),
      dropSlabCount: z.number().int(),
      dropPagecacheCount: z.number().int(),
      beforeBytes: bytes,
      afterBytes: bytes,
      freedBytes: bytes,
      perCacheFreed: z.array(cacheBytes),
      survivors: z.array(
        z.object({
          name: z.string(),
          beforeBytes: bytes,
          afterBytes: bytes,
          keptRatio: z.number(),
        }),
      ),
      survivorsNote: z.string().nullable(),
      regrowth: z
        .object({
          untilAt: iso,
          peakBytes: bytes,
          peakAt: iso,
          ratio: z.number(),
          timeTo50PctSeconds: z.number().nullable(),
          timeTo90PctSeconds: z.number().nullable(),
          rateBytesPerHour: z.number(),
          perCache: z.array(
            z.object({
              name: z.string(),
              freedBytes: bytes,
              regrownBytes: bytes,
              ratio: z.number(),
            }),
          ),
        })
        .nullable(),
      topRegrowingCaches: z.array(cacheBytes),
    }),
  ),
});
export type SlabDropsResponse = z.infer<typeof slabDropsResponseSchema>;

const cacheSlope = z.object({ name: z.string(), slopeBytesPerHour: z.number() });
export const slabLeakResponseSchema = z.object({
  ...rangeEcho,
  verdict: z.enum(['leaking', 'growing', 'stable', 'insufficient_data']),
  slopeBytesPerHour: z.number().nullable().describe('Theil–Sen slope of SUnreclaim'),
  monotonicity: z.number().nullable().describe('Spearman rho of SUnreclaim against time'),
  growthBytes: z.number().nullable(),
  projectedExhaustionAt: iso.nullable(),
  topGrowingCaches: z.array(cacheSlope),
  reclaimable: z.object({
    slopeBytesPerHour: z.number().nullable(),
    monotonicity: z.number().nullable(),
    growthBytes: z.number().nullable(),
    pointCount: z.number().int(),
    topGrowingCaches: z.array(cacheSlope),
  }),
  largestStepShare: z.number().nullable(),
  step: z.object({ bytes, at: iso }).nullable(),
  ...analysisNotes,
});
export type SlabLeakResponse = z.infer<typeof slabLeakResponseSchema>;

const perHour = z.number().nullable();
export const fragmentationResponseSchema = z.object({
  ...rangeEcho,
  order: z.number().int(),
  bucketSeconds: z.number().int(),
  compactStallPerHour: perHour.describe('vmstat compact_stall per hour over the range'),
  compactFailPerHour: perHour,
  zones: z.array(
    z.object({
      node: z.number().int(),
      zone: z.string(),
      verdict: z.enum(['fragmented', 'fragmenting', 'ok', 'insufficient_data']),
      compactStallPerHour: perHour.describe('Host-wide (vmstat has no per-zone counter)'),
      compactFailPerHour: perHour,
      fragmentedSince: iso.nullable(),
      reasons: z.array(z.string()),
      series: z.array(
        z.object({
          at: iso,
          unusableIndex: z.number().describe('As debugfs extfrag/unusable_index prints it, 0..1'),
          fragmentationIndex: z
            .number()
            .describe('As extfrag/extfrag_index prints it: -1 = the allocation would succeed'),
          highestFreeOrder: z
            .number()
            .int()
            .describe('Highest order with a free block in the zone; -1 when none'),
          freeBytes: bytes,
        }),
      ),
    }),
  ),
  reasons: z.array(z.string()),
});
export type FragmentationResponse = z.infer<typeof fragmentationResponseSchema>;
