import { z } from 'zod';
import { bucketParam, rangeFields } from './trend-query';

/** HTTP shapes of the per-host trend endpoints. Sizes are bytes, times ISO-8601. */

const iso = z.iso.datetime({ offset: true });
const bytes = z.number().int();
const nbytes = bytes.nullable();

const rangeEcho = {
  from: iso.describe('Start of the range read'),
  to: iso.describe('End of the range read'),
};

// ---- queries ---------------------------------------------------------------------------------

export const accountingQuerySchema = z
  .object({ at: iso.optional().describe('Use the snapshot nearest this time; default: latest') })
  .strict();
export type AccountingQuery = z.infer<typeof accountingQuerySchema>;

const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to);
const fromBeforeToError = { message: 'from must not be after to', path: ['from'] };

export const rangeQuerySchema = z
  .object(rangeFields)
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

export const bucketedQuerySchema = z
  .object({ ...rangeFields, bucket: bucketParam.optional() })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type BucketedQuery = z.infer<typeof bucketedQuerySchema>;

const CACHE_NAME = /^[A-Za-z0-9_.:()@+-]{1,64}$/;
export const slabSeriesQuerySchema = z
  .object({
    ...rangeFields,
    bucket: bucketParam.optional(),
    caches: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      )
      .pipe(z.array(z.string().regex(CACHE_NAME, 'not a slab cache name')).min(1).max(50))
      .optional()
      .describe('Comma-separated cache names; default: the largest caches at the end of the range'),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type SlabSeriesQuery = z.infer<typeof slabSeriesQuerySchema>;

export const fragmentationQuerySchema = z
  .object({
    ...rangeFields,
    bucket: bucketParam.optional(),
    order: z.coerce
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'Allocation order the indexes are computed for; default 4 (64 KiB with 4 KiB pages)',
      ),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToError);
export type FragmentationQuery = z.infer<typeof fragmentationQuerySchema>;

// ---- accounting ------------------------------------------------------------------------------

const gapSchema = z.object({
  basis: z.enum(['MemTotal - MemAvailable', 'MemTotal - MemFree']),
  usedBytes: bytes,
  processRssBytes: nbytes,
  slabReclaimableBytes: nbytes,
  slabUnreclaimableBytes: nbytes,
  shmemBytes: nbytes,
  kernelStackBytes: nbytes,
  pageTablesBytes: nbytes,
  vmallocBytes: nbytes,
  percpuBytes: nbytes,
  hugetlbBytes: nbytes,
  fileCacheBytes: nbytes,
  unexplainedBytes: nbytes.describe(
    'used minus every component; may be negative (double counting)',
  ),
  notes: z.array(z.string()),
});

export const accountingResponseSchema = z.object({
  hostId: z.string(),
  snapshotId: z.string(),
  collectedAt: iso,
  accounting: z
    .object({
      totalBytes: bytes,
      usedBytes: bytes,
      freeBytes: bytes,
      sharedBytes: nbytes,
      buffersBytes: nbytes,
      cacheBytes: bytes,
      availableBytes: bytes,
      availableSource: z.enum(['MemAvailable', 'MemFree']),
      legacyUsedBytes: nbytes,
      slabBytes: nbytes,
      slabReclaimableBytes: nbytes,
      slabUnreclaimableBytes: nbytes,
      processRssBytes: nbytes.describe('Sum over every process, kept at ingest'),
      processCount: z.number().int().nullable(),
      rssNote: z.string(),
      gap: gapSchema,
    })
    .nullable()
    .describe('What `memfleet inspect` prints for this snapshot; null without meminfo'),
  topProcesses: z
    .array(z.object({ pid: z.number().int(), rssBytes: bytes, comm: z.string() }))
    .describe('The largest processes by RSS (storage keeps the top 10)'),
});
export type AccountingResponse = z.infer<typeof accountingResponseSchema>;

// ---- memory series ---------------------------------------------------------------------------

export const memorySeriesResponseSchema = z.object({
  ...rangeEcho,
  bucketSeconds: z.number().int(),
  buckets: z.array(
    z.object({
      start: iso.describe('Bucket start; buckets are aligned on `from`, empty ones are omitted'),
      snapshots: z.number().int(),
      memTotalBytes: nbytes,
      usedBytes: nbytes.describe('MemTotal - MemAvailable (as `free`), bucket average'),
      availableBytes: nbytes,
      minAvailableBytes: nbytes.describe('Lowest MemAvailable in the bucket'),
      buffCacheBytes: nbytes.describe('Always null for now: see `unavailable`'),
      slabReclaimableBytes: nbytes,
      slabUnreclaimableBytes: nbytes,
      processRssBytes: nbytes,
      unexplainedBytes: nbytes.describe(
        'used - process RSS - SUnreclaim (coarser than accounting)',
      ),
    }),
  ),
  unavailable: z
    .array(z.object({ field: z.string(), reason: z.string() }))
    .describe('Figures the stored columns cannot give, and why'),
});
export type MemorySeriesResponse = z.infer<typeof memorySeriesResponseSchema>;
