import { snapshotBundleSchema } from '@memfleet/procfs';
import { z } from 'zod';
import { sectionsSchema } from './snapshot-sections.schemas';

/** HTTP shapes of snapshots. Sizes are bytes, times ISO-8601. */

const isoDateTime = z.iso.datetime({ offset: true });
const bytes = z.number().int().nullable();
const count = z.number().int().nullable();

/** Push ingest takes the exchange format itself; see libs/procfs bundle.ts. */
export const ingestBundleSchema = snapshotBundleSchema;

export const snapshotSummarySchema = z.object({
  id: z.string(),
  hostId: z.string(),
  collectedAt: isoDateTime,
  receivedAt: isoDateTime,
  missingSections: z
    .array(z.string())
    .describe('Sections not stored as data: not collected, unreadable or invalid'),
  memTotalBytes: bytes,
  memAvailableBytes: bytes,
  sReclaimableBytes: bytes.describe('meminfo SReclaimable'),
  sUnreclaimBytes: bytes.describe('meminfo SUnreclaim'),
  slabBytes: bytes.describe('Sum over /proc/slabinfo of slabs * pages per slab * page size'),
  processRssBytes: bytes.describe('Sum of RSS over all processes'),
  processCount: count,
  dropSlab: count.describe('vmstat drop_slab: times caches were dropped since boot'),
  dropPagecache: count.describe('vmstat drop_pagecache'),
  compactStall: count.describe('vmstat compact_stall'),
  compactFail: count.describe('vmstat compact_fail'),
  fragUnusableOrder4: z
    .number()
    .nullable()
    .describe('Worst unusable free space index at order 4 outside DMA zones, 0..1'),
  fragMaxFreeOrder: count.describe('Highest order with a free block outside DMA; -1 when none'),
});
export type SnapshotSummaryResponse = z.infer<typeof snapshotSummarySchema>;

export const snapshotPageSchema = z.object({
  items: z.array(snapshotSummarySchema),
  total: z.number().int().describe('Snapshots in the time range, over all pages'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});
export type SnapshotPageResponse = z.infer<typeof snapshotPageSchema>;

export const snapshotDetailSchema = snapshotSummarySchema.extend({
  pageSize: z.number().int(),
  kernelRelease: z.string().nullable(),
  ...sectionsSchema,
});
export type SnapshotDetailResponse = z.infer<typeof snapshotDetailSchema>;

export const snapshotListQuerySchema = z
  .object({
    from: isoDateTime.optional().describe('Inclusive lower bound on collectedAt'),
    to: isoDateTime.optional().describe('Inclusive upper bound on collectedAt'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type SnapshotListQueryInput = z.infer<typeof snapshotListQuerySchema>;
